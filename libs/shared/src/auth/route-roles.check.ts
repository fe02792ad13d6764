import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { accessRuleBroken, routeAccessTable, routesBreakingAccessRules } from './route-access.util';

/**
 * Start-up refuses an application with a route that forgot its @Roles (or a public
 * `/v1` route), naming each: the guard would refuse it at run time anyway, and a route
 * nobody may call is a mistake better found by the deployment than by a customer.
 */
@Injectable()
export class RouteRolesCheck implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    const broken = routesBreakingAccessRules(routeAccessTable(this.discovery, this.scanner, this.reflector));
    if (broken.length === 0) return;
    const lines = broken.map((r) => `  - ${r.route} (${r.handler}): ${accessRuleBroken(r)}`);
    throw new Error(`routes without declared roles (CONTRACTS.md §5, fail closed):\n${lines.join('\n')}`);
  }
}
