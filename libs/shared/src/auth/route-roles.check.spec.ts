import { Controller, Get, Post, Type } from '@nestjs/common';
import { DiscoveryModule, DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { EventPattern } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { Public, Roles } from './auth.guard';
import { routeAccessTable } from './route-access.util';
import { RouteRolesCheck } from './route-roles.check';

@Public()
@Controller('health')
class OpenController {
  @Get()
  ready() {
    return {};
  }
}

@Roles('ADMIN')
@Controller('v1/things')
class ThingsController {
  @Get()
  list() {
    return [];
  }

  @Roles('SYSTEM')
  @Post(['', 'batch'])
  create() {
    return {};
  }

  @EventPattern('crm.things.v1')
  onThing(record: unknown): unknown {
    return record;
  }
}

@Controller('v1/forgotten')
class ForgottenController {
  @Get(':id')
  get() {
    return {};
  }
}

@Controller('v1/open')
class PublicV1Controller {
  @Public()
  @Get()
  peek() {
    return {};
  }
}

@Public()
@Controller('status')
class PublicWithRolesController {
  @Roles('ADMIN')
  @Get('internals')
  internals() {
    return {};
  }
}

async function init(...controllers: Type<unknown>[]) {
  const moduleRef = await Test.createTestingModule({ imports: [DiscoveryModule], controllers, providers: [RouteRolesCheck] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  try {
    await app.init();
  } finally {
    await app.close();
  }
}

describe('routes and their declared access', () => {
  it('lists every HTTP route with its access, skipping Kafka handlers', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [DiscoveryModule], controllers: [OpenController, ThingsController] }).compile();
    const table = routeAccessTable(moduleRef.get(DiscoveryService), moduleRef.get(MetadataScanner), moduleRef.get(Reflector));
    expect(table).toEqual(
      expect.arrayContaining([
        { route: 'GET /health', handler: 'OpenController.ready', isPublic: true, roles: [] },
        { route: 'GET /v1/things', handler: 'ThingsController.list', isPublic: false, roles: ['ADMIN'] },
        { route: 'POST /v1/things', handler: 'ThingsController.create', isPublic: false, roles: ['SYSTEM'] },
        { route: 'POST /v1/things/batch', handler: 'ThingsController.create', isPublic: false, roles: ['SYSTEM'] },
      ]),
    );
    expect(table).toHaveLength(4);
  });

  it('start-up passes when every route is public outside /v1 or declares roles', async () => {
    await expect(init(OpenController, ThingsController)).resolves.toBeUndefined();
  });

  it('start-up fails naming a route without roles and a public /v1 route', async () => {
    const failure = init(OpenController, ThingsController, ForgottenController, PublicV1Controller);
    await expect(failure).rejects.toThrow(/GET \/v1\/forgotten\/:id \(ForgottenController\.get\): declares no @Roles/);
    await expect(init(PublicV1Controller)).rejects.toThrow(/GET \/v1\/open \(PublicV1Controller\.peek\): \/v1 routes may not be @Public/);
    // A @Public() controller makes its handlers' @Roles void: refused, not silently opened.
    await expect(init(PublicWithRolesController)).rejects.toThrow(/GET \/status\/internals \(PublicWithRolesController\.internals\): is @Public\(\) and declares @Roles/);
  });
});
