import { BadGatewayException, Body, Controller, Get, INestApplication, Post } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { IsString } from 'class-validator';
import request from 'supertest';
import { createValidationPipe } from '../bootstrap/bootstrap-service';
import { CORRELATION_HEADER, correlationMiddleware } from '../logging/correlation.middleware';
import { PinoNestLogger, createLogger } from '../logging/logger';
import { LogLines } from '../testing/log-lines';
import { ProblemDetailsFilter } from './problem-details.filter';

const CRASH_MESSAGE = 'connect ECONNREFUSED mongodb://ledger:S3cr3t-pw@10.20.0.7:27017';
const UPSTREAM_MESSAGE = 'core banking answered 500 for account 6222020200112233445';

class NoteBody {
  @IsString() text!: string;
}

@Controller('v1/probe')
class FailingController {
  @Get('crash')
  crash(): never {
    throw new Error(CRASH_MESSAGE);
  }

  @Get('upstream')
  upstream(): never {
    throw new BadGatewayException(UPSTREAM_MESSAGE);
  }

  @Post('notes')
  note(@Body() body: NoteBody) {
    return body;
  }
}

describe('ProblemDetailsFilter over HTTP (a real Nest app, its pino log read back)', () => {
  let app: INestApplication;
  const lines = new LogLines();

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [FailingController] }).compile();
    app = moduleRef.createNestApplication({ logger: new PinoNestLogger(createLogger('probe', 'info', lines)) });
    app.use(correlationMiddleware);
    app.useGlobalFilters(new ProblemDetailsFilter());
    app.useGlobalPipes(createValidationPipe());
    await app.init();
  });

  afterAll(() => app.close());

  it.each([
    ['/v1/probe/crash', 500, 'internal server error', CRASH_MESSAGE],
    ['/v1/probe/upstream', 502, 'bad gateway', UPSTREAM_MESSAGE],
  ])('%s: the client gets a generic problem and a correlation id; the log gets the detail under that id', async (path, status, title, secret) => {
    const res = await request(app.getHttpServer()).get(path).expect(status);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    const correlationId = res.headers[CORRELATION_HEADER];
    expect(correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body).toEqual({ type: `https://meridian.dev/problems/${title.replace(/ /g, '-')}`, title, status, correlationId });
    expect(res.text).not.toContain(secret);

    const logged = lines.parsed().filter((line) => line.correlationId === correlationId);
    expect(logged).toEqual([expect.objectContaining({ level: 'error', status })]);
    expect(JSON.stringify(logged[0])).toContain(secret);
    expect(JSON.stringify(logged[0])).toMatch(/"stack":"[^"]*FailingController/);
  });

  it('logs the failed route without its query string (a look-up by idNumber or phone carries PII there)', async () => {
    const res = await request(app.getHttpServer()).get('/v1/probe/crash?idNumber=110101199003077777').expect(500);
    const logged = lines.parsed().filter((line) => line.correlationId === res.headers[CORRELATION_HEADER]);
    expect(logged).toHaveLength(1);
    expect(JSON.stringify(logged)).toContain('/v1/probe/crash');
    expect(JSON.stringify(logged)).not.toContain('110101199003077777');
  });

  it('keeps the caller’s correlation id', async () => {
    const res = await request(app.getHttpServer()).get('/v1/probe/crash').set(CORRELATION_HEADER, 'req-7.abc').expect(500);
    expect(res.body.correlationId).toBe('req-7.abc');
    expect(res.headers[CORRELATION_HEADER]).toBe('req-7.abc');
  });

  it('4xx answers still name the field and the rule, and carry the correlation id', async () => {
    const res = await request(app.getHttpServer()).post('/v1/probe/notes').send({ text: 42 }).expect(400);
    expect(res.body).toMatchObject({
      status: 400,
      instance: '/v1/probe/notes',
      correlationId: res.headers[CORRELATION_HEADER],
      errors: [expect.objectContaining({ field: 'text', rule: 'isString' })],
    });
  });
});
