import { LogLines } from '../testing/log-lines';
import { createLogger } from './logger';

/** A customer record as events and use cases carry it: PII and balances at several depths, some inside arrays. */
function nestedCustomer() {
  return {
    eventId: 'evt-42',
    envelope: {
      payload: {
        customer: { idNumber: '110101199003077777', phone: '13812345678', name: '张三', email: 'zhang@example.cn', segment: 'MASS' },
        products: [
          { productId: 'P-1', balanceMinor: 98_765_432, accounts: [{ accountNo: 'A-1', balanceAfterMinor: 55_501, birthDate: '1990-03-07' }] },
        ],
        aumMinor: 77_123_456,
      },
    },
    headers: [{ authorization: 'Bearer eyJhbGciOi.secret-token-value', accept: 'application/json' }],
    session: { accessToken: 'at-9f8e7d', refreshToken: 'rt-1a2b3c' },
  };
}

const SECRETS = ['110101199003077777', '13812345678', '张三', 'zhang@example.cn', '98765432', '55501', '1990-03-07', '77123456', 'secret-token-value', 'at-9f8e7d', 'rt-1a2b3c'];
const VISIBLE = ['evt-42', 'MASS', 'P-1', 'A-1', 'application/json'];

describe('createLogger redaction (a real pino logger writing to a stream)', () => {
  it('redacts sensitive fields at any depth and inside arrays, keeps the rest', () => {
    const lines = new LogLines();
    createLogger('test', 'info', lines).info({ deep: { deeper: nestedCustomer() } }, 'handled');
    const text = lines.text();
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    for (const visible of VISIBLE) expect(text).toContain(visible);
    const logged = lines.parsed()[0] as { deep: { deeper: ReturnType<typeof nestedCustomer> } };
    expect(logged.deep.deeper.envelope.payload.products[0].accounts[0]).toEqual({ accountNo: 'A-1', balanceAfterMinor: '[redacted]', birthDate: '[redacted]' });
  });

  it('redacts what an error carries and keeps its message and stack', () => {
    const lines = new LogLines();
    const error = Object.assign(new Error('upstream refused'), { request: { headers: { Authorization: 'Bearer secret-token-value' } }, customer: { phone: '13812345678' } });
    createLogger('test', 'info', lines).error({ err: error }, 'call failed');
    const text = lines.text();
    expect(text).not.toContain('secret-token-value');
    expect(text).not.toContain('13812345678');
    expect(lines.parsed()[0].err).toMatchObject({ type: 'Error', message: 'upstream refused', stack: expect.stringContaining('upstream refused') });
  });

  it('redacts inside what toJSON gives (a mongoose document, a value object), even a toJSON that returns itself', () => {
    const document = { toJSON: () => ({ _id: 'C1', profile: { phone: '13812345678', tier: 'GOLD' } }) };
    const selfish = { email: 'zhang@example.cn', toJSON() { return this; } };
    const lines = new LogLines();
    createLogger('test', 'info', lines).info({ document, selfish }, 'loaded');
    expect(lines.text()).not.toMatch(/13812345678|zhang@example\.cn/);
    expect(lines.parsed()[0]).toMatchObject({ document: { _id: 'C1', profile: { tier: 'GOLD' } } });
  });

  it('does not change the object it logs', () => {
    const record = nestedCustomer();
    createLogger('test', 'info', new LogLines()).info(record, 'handled');
    expect(record).toEqual(nestedCustomer());
  });

  it('bounds the walk: a cycle, a very deep object and a huge array are cut, never leaked', () => {
    const cyclic: Record<string, unknown> = { phone: '13812345678' };
    cyclic.self = cyclic;
    let deep: Record<string, unknown> = { idNumber: '110101199003077777' };
    for (let i = 0; i < 200; i++) deep = { next: deep };
    const many = Array.from({ length: 5_000 }, (_, i) => ({ i, email: 'zhang@example.cn' }));
    const lines = new LogLines();
    createLogger('test', 'info', lines).info({ cyclic, deep, many }, 'odd shapes');
    expect(lines.raw).toHaveLength(1);
    const text = lines.text();
    for (const secret of ['13812345678', '110101199003077777', 'zhang@example.cn']) expect(text).not.toContain(secret);
    expect(text).toContain('[truncated]');
  });
});
