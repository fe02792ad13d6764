import { ConfigValidationError, loadConfig, randomKeyBase64 } from '@meridian/shared';
import { DEFAULT_SERVICE_DESK_RULES } from '../tickets/domain/service-desk-rules';
import { ServiceDeskConfig, parseSlaTarget, parseTiers } from './service-desk.config';

const base = { JWT_SECRET: 'test-secret-test-secret-test-secret-42', MONGODB_URI: 'mongodb://x', KAFKA_BROKERS: 'x:1', REDIS_URL: 'redis://x', FIELD_ENCRYPTION_MASTER_KEY: randomKeyBase64(), BLIND_INDEX_KEY: randomKeyBase64() };

const refusal = (env: Record<string, string>): string => {
  try {
    loadConfig(ServiceDeskConfig, { ...base, ...env });
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.message;
    throw error;
  }
  throw new Error('the configuration was accepted');
};

describe('service-desk configuration', () => {
  it('defaults to DOMAIN.md', () => {
    expect(loadConfig(ServiceDeskConfig, base).rules).toEqual(DEFAULT_SERVICE_DESK_RULES);
  });

  it('takes a bank’s own SLA targets, raised tiers and reopen window', () => {
    const rules = loadConfig(ServiceDeskConfig, { ...base, SERVICE_DESK_SLA_P1_MINUTES: '10, 120', SERVICE_DESK_RAISED_TIERS: 'DIAMOND', SERVICE_DESK_REOPEN_WINDOW_DAYS: '14' }).rules;
    expect(rules.slaTargets.P1).toEqual({ firstResponseMinutes: 10, resolutionMinutes: 120 });
    expect(rules.slaTargets.P2).toEqual(DEFAULT_SERVICE_DESK_RULES.slaTargets.P2);
    expect(rules.raisedTiers).toEqual(['DIAMOND']);
    expect(rules.reopenWindowDays).toBe(14);
    expect(loadConfig(ServiceDeskConfig, { ...base, SERVICE_DESK_RAISED_TIERS: 'none' }).rules.raisedTiers).toEqual([]);
  });

  it.each([
    [{ SERVICE_DESK_SLA_P2_MINUTES: '60' }, 'SERVICE_DESK_SLA_P2_MINUTES: must be two whole numbers'],
    [{ SERVICE_DESK_SLA_P3_MINUTES: '4h,72h' }, 'SERVICE_DESK_SLA_P3_MINUTES: must be two whole numbers'],
    [{ SERVICE_DESK_SLA_P3_MINUTES: '1e2,0x10' }, 'SERVICE_DESK_SLA_P3_MINUTES: must be two whole numbers'],
    [{ SERVICE_DESK_SLA_P1_MINUTES: '0,240' }, 'slaTargets.P1 needs whole minutes above 0'],
    [{ SERVICE_DESK_RAISED_TIERS: 'PLATINUM' }, 'SERVICE_DESK_RAISED_TIERS: names no tier'],
    [{ SERVICE_DESK_RAISED_TIERS: 'GOLD' }, 'raisedTiers must be the top of'],
    [{ SERVICE_DESK_SLA_P1_MINUTES: '300,240' }, 'slaTargets.P1: the first response target must not exceed the resolution target'],
    [{ SERVICE_DESK_SLA_P1_MINUTES: '120,4000' }, 'slaTargets must not tighten from P1 to P3'],
    [{ SERVICE_DESK_REOPEN_WINDOW_DAYS: '-1' }, 'SERVICE_DESK_REOPEN_WINDOW_DAYS'],
  ])('refuses %j, naming what is wrong', (env, message) => {
    expect(refusal(env)).toContain(message);
  });

  it('gives each queue the bank’s calendar with its own hours', () => {
    const hours = JSON.stringify({ DIGITAL: { weeklyHours: { SAT: [{ opens: '09:00', closes: '17:00' }] } } });
    const calendars = loadConfig(ServiceDeskConfig, { ...base, SERVICE_DESK_QUEUE_HOURS: hours, SERVICE_DESK_CALENDAR_OVERRIDES: '{"extraHolidays":["2026-12-24"]}' }).queueCalendars;
    expect(calendars.DIGITAL.weeklyHours.SAT).toEqual([{ opens: '09:00', closes: '17:00' }]);
    expect(calendars.CARDS.weeklyHours.SAT).toEqual([]);
    expect(calendars.DIGITAL.holidays).toContain('2026-12-24');
    expect(calendars.CARDS.holidays).toContain('2026-12-24');
  });

  it.each([
    [{ SERVICE_DESK_QUEUE_HOURS: '{"DIGITAL":' }, 'SERVICE_DESK_QUEUE_HOURS: must be a JSON object of queues'],
    [{ SERVICE_DESK_QUEUE_HOURS: '{"SAVINGS":{}}' }, 'SERVICE_DESK_QUEUE_HOURS: SAVINGS is not a queue'],
    [{ SERVICE_DESK_QUEUE_HOURS: '{"DIGITAL":{"weeklyHours":{"SAT":[{"opens":"22:00","closes":"08:00"}]}}}' }, 'DIGITAL.weeklyHours.SAT[0]: opens must be before closes'],
  ])('refuses queue hours %j, naming the variable, the queue and the field', (env, message) => {
    expect(refusal(env)).toContain(message);
  });

  it('parses targets and tier lists as written', () => {
    expect(parseSlaTarget(' 15 , 240 ')).toEqual({ firstResponseMinutes: 15, resolutionMinutes: 240 });
    expect(() => parseSlaTarget('15,240,9')).toThrow('two whole numbers');
    expect(parseTiers('DIAMOND, GOLD')).toEqual(['DIAMOND', 'GOLD']);
  });
});
