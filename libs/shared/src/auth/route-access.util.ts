import { RequestMethod, Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { DeclaredAccess, RouteHandler, declaredAccess } from './auth.guard';

/** One HTTP route of an application and what it declares about its callers. */
export interface RouteAccess extends DeclaredAccess {
  /** e.g. `GET /v1/customers/:customerId`. */
  route: string;
  /** e.g. `CustomersController.get`, to find it in the code. */
  handler: string;
}

function joinPath(...parts: string[]): string {
  return '/' + parts.map((p) => p.replace(/^\/+|\/+$/g, '')).filter((p) => p.length > 0).join('/');
}

const asList = (path: unknown): string[] => (Array.isArray(path) ? path : [typeof path === 'string' ? path : '']);

/**
 * Every HTTP route the application's controllers declare (Kafka handlers have no HTTP
 * method and are skipped), with the access the guard will apply to it.
 */
export function routeAccessTable(discovery: DiscoveryService, scanner: MetadataScanner, reflector: Reflector): RouteAccess[] {
  return discovery.getControllers().flatMap(({ metatype }) => {
    if (typeof metatype !== 'function') return [];
    const controller = metatype as Type<unknown>;
    const prototype = controller.prototype as Record<string, RouteHandler>;
    return scanner.getAllMethodNames(prototype).flatMap((name) => {
      const handler = prototype[name];
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (method === undefined) return [];
      const access = declaredAccess(reflector, handler, controller);
      return asList(Reflect.getMetadata(PATH_METADATA, controller)).flatMap((base) =>
        asList(Reflect.getMetadata(PATH_METADATA, handler)).map((path) => ({
          route: `${RequestMethod[method]} ${joinPath(base, path)}`,
          handler: `${controller.name}.${name}`,
          ...access,
        })),
      );
    });
  });
}

/** Why a route breaks CONTRACTS.md §5, or undefined when it does not. */
export function accessRuleBroken(r: RouteAccess): string | undefined {
  if (r.isPublic && /^\S+ \/v1(\/|$)/.test(r.route)) return '/v1 routes may not be @Public()';
  // @Public() on the controller wins over the handler's @Roles: the roles would silently not apply.
  if (r.isPublic && r.roles.length > 0) return 'is @Public() and declares @Roles: the roles would not apply';
  if (!r.isPublic && r.roles.length === 0) return 'declares no @Roles';
  return undefined;
}

/**
 * Routes that break CONTRACTS.md §5: a `/v1` route that is public, a public route whose
 * roles would not apply, or any route that needs a token but declares no roles (the guard
 * would refuse every caller).
 */
export function routesBreakingAccessRules(table: RouteAccess[]): RouteAccess[] {
  return table.filter((r) => accessRuleBroken(r) !== undefined);
}
