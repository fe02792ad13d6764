import type { Type } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { Test, TestingModule } from '@nestjs/testing';
import { RouteAccess, routeAccessTable, routesBreakingAccessRules } from '../auth/route-access.util';
import { RouteRolesCheck } from '../auth/route-roles.check';
import { serviceTestEnv } from './service-process';

const V1 = /^\S+ \/v1(\/|$)/;

/**
 * CONTRACTS.md §5 (fail closed) for one service, on its real AppModule: every `/v1`
 * route declares the roles it admits and none is public, so the routes the next
 * feature adds are guarded by the same spec. `knownRoutes` are routes the walk must
 * find, proving it sees the service's controllers and not an empty module.
 */
export function describeRouteRoles(service: string, appModule: Type<unknown>, knownRoutes: string[] = []): void {
  describe(`${service} routes declare their roles (fail closed)`, () => {
    let moduleRef: TestingModule;
    let table: RouteAccess[];

    beforeAll(async () => {
      // The AppModule reads its validated config from the environment when it is built.
      Object.assign(process.env, serviceTestEnv(service));
      moduleRef = await Test.createTestingModule({ imports: [appModule] }).compile();
      table = routeAccessTable(moduleRef.get(DiscoveryService), moduleRef.get(MetadataScanner), moduleRef.get(Reflector));
    });

    afterAll(() => moduleRef?.close());

    it('walks the real module: the public operations routes and the service’s own routes are found', () => {
      const routes = table.map((r) => r.route);
      expect(routes).toEqual(expect.arrayContaining(['GET /health', 'GET /health/live', 'GET /metrics', ...knownRoutes]));
      expect(table.filter((r) => !V1.test(r.route)).every((r) => r.isPublic)).toBe(true);
    });

    it('every /v1 route declares at least one role and none is public', () => {
      expect(table.filter((r) => V1.test(r.route) && (r.isPublic || r.roles.length === 0))).toEqual([]);
      expect(routesBreakingAccessRules(table)).toEqual([]);
    });

    it('passes the start-up check', () => {
      expect(() => moduleRef.get(RouteRolesCheck).onModuleInit()).not.toThrow();
    });
  });
}
