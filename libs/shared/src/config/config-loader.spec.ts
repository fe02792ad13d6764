import { randomKeyBase64 } from '../crypto/field-encryption';
import { ConfigValidationError, loadConfig } from './config-loader';
import { ServiceConfig } from './service-config';

const valid = () => ({
  KAFKA_BROKERS: '127.0.0.1:9092',
  MONGODB_URI: 'mongodb://127.0.0.1:27017',
  REDIS_URL: 'redis://127.0.0.1:6379',
  JWT_SECRET: 'x'.repeat(32),
  FIELD_ENCRYPTION_MASTER_KEY: randomKeyBase64(),
  BLIND_INDEX_KEY: randomKeyBase64(),
});

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(ServiceConfig, env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems.map((p) => p.variable);
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('reads a valid environment, converting types and applying defaults', () => {
    const config = loadConfig(ServiceConfig, { ...valid(), PORT: '4000', KAFKA_CREATE_TOPICS: 'false' });
    expect(config.PORT).toBe(4000);
    expect(config.KAFKA_CREATE_TOPICS).toBe(false);
    expect(config.LOG_LEVEL).toBe('info');
    expect(config.KAFKA_MAX_ATTEMPTS).toBe(5);
  });

  it.each([
    ['KAFKA_BROKERS', undefined],
    ['KAFKA_BROKERS', 'localhost'],
    ['MONGODB_URI', 'postgres://x'],
    ['REDIS_URL', ''],
    ['JWT_SECRET', 'short'],
    ['FIELD_ENCRYPTION_MASTER_KEY', 'not-base64'],
    ['BLIND_INDEX_KEY', Buffer.alloc(16).toString('base64')],
    ['PORT', '70000'],
    ['PORT', 'eighty'],
    ['LOG_LEVEL', 'loud'],
    ['JWT_JWKS_URL', 'idp.bank.example/jwks.json'],
  ])('names %s when it is %p', (variable, value) => {
    expect(problemsOf({ ...valid(), [variable]: value })).toContain(variable);
  });

  it('does not need JWT_SECRET when a JWKS URL is configured', () => {
    expect(problemsOf({ ...valid(), JWT_SECRET: undefined, JWT_JWKS_URL: 'https://idp.bank.example/jwks.json' })).toEqual([]);
  });

  it('lists every problem at once in its message', () => {
    expect(() => loadConfig(ServiceConfig, {})).toThrow(/KAFKA_BROKERS[\s\S]*MONGODB_URI[\s\S]*REDIS_URL/);
  });
});
