import { Body, Controller, Get, INestApplication, Post } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { IsInt, IsString, Min } from 'class-validator';
import request from 'supertest';
import { createValidationPipe } from '../bootstrap/bootstrap-service';
import { ProblemDetailsFilter } from '../http/problem-details.filter';
import { signTestToken } from '../testing/jwt';
import { AuthGuard, CurrentPrincipal, Public, Roles } from './auth.guard';
import { JwtVerifier } from './jwt-verifier';
import { Principal } from './principal';

const secret = 'guard-test-secret-guard-test-secret-0001';

class TransferBody {
  @IsString() productId!: string;
  @IsInt() @Min(1) amountMinor!: number;
}

@Controller()
class ProbeController {
  @Public()
  @Get('open')
  open() {
    return { ok: true };
  }

  @Roles('ADMIN', 'AUDITOR')
  @Get('v1/audit')
  audit(@CurrentPrincipal() principal: Principal) {
    return { sub: principal.sub, branchId: principal.branchId };
  }

  /** Someone forgot @Roles: the guard must refuse it, whatever the caller's roles. */
  @Get('v1/forgotten')
  forgotten() {
    return { leaked: true };
  }

  @Roles('SYSTEM')
  @Post('v1/things')
  create(@Body() body: TransferBody) {
    return body;
  }
}

describe('AuthGuard, validation and problem+json over HTTP', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      controllers: [ProbeController],
      providers: [
        { provide: JwtVerifier, useValue: new JwtVerifier({ secret }) },
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.useGlobalFilters(new ProblemDetailsFilter());
    app.useGlobalPipes(createValidationPipe());
    await app.init();
  });

  afterAll(() => app.close());

  const http = () => request(app.getHttpServer());

  it('lets public routes through without a token', async () => {
    await http().get('/open').expect(200, { ok: true });
  });

  it('answers 401 problem+json without a token, with alg none, or with a bad signature', async () => {
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(
      JSON.stringify({ sub: 'x', roles: ['ADMIN'], branchId: 'B', exp: 9999999999 }),
    ).toString('base64url')}.`;
    for (const auth of [undefined, `Bearer ${none}`, `Bearer ${await signTestToken('x'.repeat(40), { roles: ['ADMIN'] })}`]) {
      const req = http().get('/v1/audit');
      if (auth) req.set('Authorization', auth);
      const res = await req.expect(401);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 401, title: 'unauthorized', instance: '/v1/audit' });
    }
  });

  it('answers 403 when the role is not allowed, 200 with the principal when it is', async () => {
    const teller = await signTestToken(secret, { roles: ['TELLER'] });
    const res = await http().get('/v1/audit').set('Authorization', `Bearer ${teller}`).expect(403);
    expect(res.body.detail).toMatch(/ADMIN, AUDITOR/);
    const auditor = await signTestToken(secret, { sub: 'aud-9', roles: ['AUDITOR'], branchId: 'HQ' });
    await http().get('/v1/audit').set('Authorization', `Bearer ${auditor}`).expect(200, { sub: 'aud-9', branchId: 'HQ' });
  });

  it('fails closed: a route that declares no roles answers 403 to every valid token, even ADMIN', async () => {
    for (const roles of [['ADMIN'], ['SYSTEM'], ['TELLER', 'RM', 'BRANCH_MANAGER', 'EXECUTIVE', 'MARKETING', 'SERVICE_AGENT', 'AUDITOR']] as const) {
      const token = await signTestToken(secret, { roles: [...roles] });
      const res = await http().get('/v1/forgotten').set('Authorization', `Bearer ${token}`).expect(403);
      expect(res.body.detail).toMatch(/declares no roles/);
    }
  });

  it('answers 400 naming each field and rule that failed', async () => {
    const system = await signTestToken(secret, { roles: ['SYSTEM'] });
    const res = await http()
      .post('/v1/things')
      .set('Authorization', `Bearer ${system}`)
      .send({ amountMinor: 0, extra: 1 })
      .expect(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'productId', rule: 'isString' }),
        expect.objectContaining({ field: 'amountMinor', rule: 'min' }),
        expect.objectContaining({ field: 'extra', rule: 'whitelistValidation' }),
      ]),
    );
  });
});
