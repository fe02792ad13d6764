import { Logger } from '@nestjs/common';
import { HealthCheckLogger, failingChecks } from './health-check.logger';

const failed = (details: object) => `Health Check has failed! ${JSON.stringify(details)}`;
const mongoDown = failed({ kafka: { status: 'up' }, mongodb: { status: 'down', message: 'timeout of 2000ms exceeded' }, redis: { status: 'up' } });

describe('failingChecks', () => {
  it.each([
    [mongoDown, 'mongodb (timeout of 2000ms exceeded)'],
    [failed({ kafka: { status: 'down' }, redis: { status: 'down', message: 'ECONNREFUSED' } }), 'kafka, redis (ECONNREFUSED)'],
    ['Health Check has failed! not json', 'Health Check has failed! not json'],
  ])('%s → %s', (message, expected) => expect(failingChecks(message)).toBe(expected));
});

describe('HealthCheckLogger', () => {
  let at = 0;
  let logger: HealthCheckLogger;
  const spies = () => ({
    error: jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined),
    warn: jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined),
    debug: jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined),
  });
  let log: ReturnType<typeof spies>;

  beforeEach(() => {
    at = 0;
    jest.spyOn(Date, 'now').mockImplementation(() => at);
    logger = new HealthCheckLogger();
    log = spies();
  });
  afterEach(() => jest.restoreAllMocks());

  it('a failed check is never an error line: one warn naming what readiness waits for, then debug', () => {
    for (let i = 0; i < 5; i++, at += 1_000) logger.error(mongoDown);
    expect(log.error).not.toHaveBeenCalled();
    expect(log.warn.mock.calls).toEqual([['not ready: waiting for mongodb (timeout of 2000ms exceeded)']]);
    expect(log.debug).toHaveBeenCalledTimes(4);
  });

  it('warns again when what fails changes, and each minute the same failure lasts', () => {
    logger.error(mongoDown);
    logger.error(failed({ kafka: { status: 'down' } }));
    at += 60_000;
    logger.error(failed({ kafka: { status: 'down' } }));
    expect(log.warn.mock.calls).toEqual([
      ['not ready: waiting for mongodb (timeout of 2000ms exceeded)'],
      ['not ready: waiting for kafka'],
      ['not ready: waiting for kafka'],
    ]);
  });
});
