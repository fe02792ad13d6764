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
    ['FIELD_ENCRYPTION_PREVIOUS_MASTER_KEYS', `${randomKeyBase64()},not-base64`],
    ['FIELD_ENCRYPTION_PREVIOUS_MASTER_KEYS', Buffer.alloc(16).toString('base64')],
  ])('names %s when it is %p', (variable, value) => {
    expect(problemsOf({ ...valid(), [variable]: value })).toContain(variable);
  });

  it('reads the previous master keys as a list (none by default) and refuses the current key among them', () => {
    const env = valid();
    const [a, b] = [randomKeyBase64(), randomKeyBase64()];
    expect(loadConfig(ServiceConfig, env).FIELD_ENCRYPTION_PREVIOUS_MASTER_KEYS).toEqual([]);
    expect(loadConfig(ServiceConfig, { ...env, FIELD_ENCRYPTION_PREVIOUS_MASTER_KEYS: ` ${a}, ${b} ` }).FIELD_ENCRYPTION_PREVIOUS_MASTER_KEYS).toEqual([a, b]);
    expect(problemsOf({ ...env, FIELD_ENCRYPTION_PREVIOUS_MASTER_KEYS: `${a},${env.FIELD_ENCRYPTION_MASTER_KEY}` })).toEqual(['FIELD_ENCRYPTION_PREVIOUS_MASTER_KEYS']);
  });

  const jwks = (url: string) => ({ JWT_JWKS_URL: url, JWT_ISSUER: 'https://idp.bank.example', JWT_AUDIENCE: 'meridian' });

  it('does not need JWT_SECRET when a JWKS URL is configured', () => {
    expect(problemsOf({ ...valid(), JWT_SECRET: undefined, ...jwks('https://idp.bank.example/jwks.json') })).toEqual([]);
  });

  it.each([
    'http://idp.bank.example/jwks.json',
    'http://127.0.0.1.idp.bank.example/jwks.json',
    'http://localhost@idp.bank.example/jwks.json',
    'http://10.0.0.7:8080/jwks.json',
    'ftp://idp.bank.example/jwks.json',
  ])('names JWT_JWKS_URL when it is %s: keys fetched in clear text can be swapped on the way', (url) => {
    expect(problemsOf({ ...valid(), ...jwks(url) })).toEqual(['JWT_JWKS_URL']);
  });

  it.each(['http://127.0.0.1:8080/jwks.json', 'http://127.9.0.1/jwks', 'http://localhost:9000/jwks', 'http://[::1]:9000/jwks'])(
    'accepts a loopback identity provider over http (%s)',
    (url) => {
      expect(problemsOf({ ...valid(), ...jwks(url) })).toEqual([]);
    },
  );

  it.each(['JWT_ISSUER', 'JWT_AUDIENCE'])('with a JWKS URL, names %s when it is missing', (variable) => {
    expect(problemsOf({ ...valid(), ...jwks('https://idp.bank.example/jwks.json'), [variable]: undefined })).toEqual([variable]);
  });

  it('without a JWKS URL, JWT_ISSUER and JWT_AUDIENCE stay optional', () => {
    expect(problemsOf(valid())).toEqual([]);
  });

  it('lists every problem at once in its message', () => {
    expect(() => loadConfig(ServiceConfig, {})).toThrow(/KAFKA_BROKERS[\s\S]*MONGODB_URI[\s\S]*REDIS_URL/);
  });
});
