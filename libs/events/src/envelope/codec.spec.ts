import { IsInt, Min } from 'class-validator';
import { SAMPLE_PAYLOADS, residentId, sampleEnvelope } from '../fixtures/event-samples';
import { TOPIC_REGISTRY, TopicRegistry, allTopicTypes } from '../topics/topic-registry';
import { decode, encode, validateEnvelope } from './codec';

describe('encode/decode', () => {
  it('covers every topic and type of the registry with a sample', () => {
    for (const { topic, type } of allTopicTypes()) expect(SAMPLE_PAYLOADS[topic]?.[type]).toBeDefined();
  });

  it.each(allTopicTypes())('$type on $topic decodes to what was encoded', ({ topic, type }) => {
    const envelope = sampleEnvelope(topic, type);
    const result = decode(topic, encode(envelope));
    if (!result.ok) throw new Error(result.message);
    expect(result.envelope.payload).toBeInstanceOf(TOPIC_REGISTRY[topic].types[type].payload);
    expect(JSON.parse(JSON.stringify(result.envelope))).toEqual(envelope);
  });

  it('never quotes the input in an invalid-JSON reason (dead-letter reasons are logged; PII stays in the raw bytes)', () => {
    const result = decode('core.customers.v1', Buffer.from('x{"name":"张三","idNumber":"110105198802141234"}'));
    expect(result).toMatchObject({ ok: false, code: 'INVALID_JSON' });
    if (result.ok) return;
    expect(result.message).toMatch(/^value is not valid JSON: Unexpected token/);
    expect(result.message).not.toMatch(/张三|110105/);
  });

  const customers = 'core.customers.v1';
  const good = () => sampleEnvelope(customers, 'CustomerUpserted');
  const withPayload = (patch: Record<string, unknown>) => {
    const e = good();
    return { ...e, payload: { ...(e.payload as object), ...patch } };
  };

  it.each([
    ['empty value', Buffer.alloc(0), 'EMPTY_VALUE'],
    ['garbage bytes', Buffer.from([0xff, 0xfe, 0x00, 0x9c]), 'INVALID_ENCODING'],
    ['truncated JSON', Buffer.from('{"eventId":"x","type":'), 'INVALID_JSON'],
    ['a JSON array', Buffer.from('[1,2]'), 'INVALID_ENVELOPE'],
    ['a JSON string', Buffer.from('"hello"'), 'INVALID_ENVELOPE'],
  ])('%s → %s', (_name, bytes, code) => {
    const result = decode(customers, bytes);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.code).toBe(code);
  });

  it.each([
    ['missing eventId', { eventId: undefined }, 'INVALID_ENVELOPE', 'eventId'],
    ['occurredAt without offset', { occurredAt: '2026-03-01T09:30:00' }, 'INVALID_ENVELOPE', 'occurredAt'],
    ['schemaVersion as string', { schemaVersion: '1' }, 'INVALID_ENVELOPE', 'schemaVersion'],
    ['unknown type', { type: 'CustomerDeleted' }, 'UNKNOWN_TYPE', 'type'],
    ['type of another topic', { type: 'TransactionPosted' }, 'UNKNOWN_TYPE', 'type'],
    ['newer schema version', { schemaVersion: 2 }, 'UNSUPPORTED_SCHEMA_VERSION', 'schemaVersion'],
    ['1 MB source', { source: 'x'.repeat(1_000_000) }, 'INVALID_ENVELOPE', 'source'],
  ])('%s → %s naming %s', (_name, patch, code, field) => {
    const result = decode(customers, encode({ ...good(), ...patch } as never));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe(code);
      expect(result.errors[0]?.field).toBe(field);
    }
  });

  it.each([
    ['wrong checksum', { idNumber: residentId().slice(0, 17) + (residentId().endsWith('0') ? '1' : '0') }, 'payload.idNumber', 'isPrcResidentId'],
    ['future birth date', { idNumber: residentId('20991231'), birthDate: undefined }, 'payload.idNumber', 'isPrcResidentId'],
    ['birthDate contradicting the ID', { birthDate: '1990-01-01' }, 'payload.birthDate', 'birthDateMatchesIdNumber'],
    ['bad phone', { phone: '12345' }, 'payload.phone', 'isPhone'],
    ['bad email', { email: 'not-an-email' }, 'payload.email', 'isEmail'],
    ['unknown enum value', { customerType: 'ALIEN' }, 'payload.customerType', 'isIn'],
    ['missing name', { name: undefined }, 'payload.name', 'isString'],
    ['1 MB name', { name: '张'.repeat(1_000_000) }, 'payload.name', 'isLength'],
    ['consent as string', { consents: { marketing: { sms: 'yes' } } }, 'payload.consents.marketing.sms', 'isBoolean'],
    ['name as number', { name: 42 }, 'payload.name', 'isString'],
  ])('%s → INVALID_PAYLOAD naming %s (%s)', (_name, patch, field, rule) => {
    const result = decode(customers, encode(withPayload(patch) as never));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe('INVALID_PAYLOAD');
      expect(result.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, rule })]));
    }
  });

  it('keeps emoji, CJK text and control characters as data, not errors', () => {
    const result = decode(customers, encode(withPayload({ name: '王小明 👩‍💼 \u0007' }) as never));
    expect(result.ok).toBe(true);
  });

  it.each([
    ['negative', '-5.00'],
    ['3 decimals', '10.123'],
    ['zero', '0.00'],
    ['number not string', 10],
  ])('transaction amount %s is refused', (_name, amount) => {
    const e = sampleEnvelope('core.transactions.v1', 'TransactionPosted');
    const result = decode('core.transactions.v1', encode({ ...e, payload: { ...(e.payload as object), amount } } as never));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]).toMatchObject({ field: 'payload.amount', rule: 'isDecimalAmount' });
  });

  it.each([
    ['crm.profile.v1', 'ProfileUpdated', { features: { ...(SAMPLE_PAYLOADS['crm.profile.v1'].ProfileUpdated.features as object), balancesByType: { SAVINGS: 1 } } }, 'payload.features.balancesByType', 'isMinorUnitsByProductType'],
    ['crm.campaign.v1', 'CampaignKpiAlert', { week: '2026-09' }, 'payload.week', 'matches'],
    ['crm.campaign.v1', 'CampaignKpiAlert', { conversionRate: 1.2 }, 'payload.conversionRate', 'max'],
    ['crm.ticket.v1', 'SurveyRequested', { channel: 'CALL_CENTER' }, 'payload.channel', 'isIn'],
    ['crm.governance.v1', 'IdentityConflict', { reason: 'MERGED_ANYWAY' }, 'payload.reason', 'isIn'],
    ['crm.governance.v1', 'IdentityConflict', { reason: 'KEPT_APART', evidence: [] }, 'payload.evidence', 'arrayMinSize'],
  ])('%s %s refuses %j naming %s (%s)', (topic, type, patch, field, rule) => {
    const e = sampleEnvelope(topic, type);
    const result = decode(topic, encode({ ...e, payload: { ...(e.payload as object), ...patch } } as never));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, rule })]));
  });

  it('takes UNSUITABLE as a suppression reason (DOMAIN.md: suitability)', () => {
    const e = sampleEnvelope('crm.campaign.v1', 'CampaignMessageSuppressed');
    const result = decode('crm.campaign.v1', encode({ ...e, payload: { customerId: e.customerId, campaignId: 'cmp-1', reason: 'UNSUITABLE' } }));
    if (!result.ok) throw new Error(result.message);
    expect(result.envelope.payload).toMatchObject({ reason: 'UNSUITABLE' });
  });

  it('takes a kept-apart IdentityConflict with its evidence (ADR 0006: sticky unmerge); a conflict without them stays valid', () => {
    const e = sampleEnvelope('crm.governance.v1', 'IdentityConflict');
    const evidence = [{ kind: 'ID_NUMBER', keyHash: 'a'.repeat(64), eventId: 'evt-9' }, { kind: 'SOURCE_REF', keyHash: 'b'.repeat(64), eventId: 'evt-9' }];
    const result = decode('crm.governance.v1', encode({ ...e, payload: { ...(e.payload as object), movedKey: 'ID_NUMBER', reason: 'KEPT_APART', evidence } }));
    if (!result.ok) throw new Error(result.message);
    expect(result.envelope.payload).toMatchObject({ reason: 'KEPT_APART', evidence });
    expect(decode('crm.governance.v1', encode(e)).ok).toBe(true);
  });

  it('strips fields it does not know (additive evolution) instead of refusing them', () => {
    const result = decode(customers, encode(withPayload({ loyaltyNumber: 'L-9' }) as never));
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.envelope.payload).not.toHaveProperty('loyaltyNumber');
  });

  describe('upcasting', () => {
    class GreetingV2 {
      @IsInt() @Min(0) count!: number;
    }
    const registry: TopicRegistry = {
      'test.greetings': {
        key: 'customerId',
        types: { Greeted: { schemaVersion: 2, payload: GreetingV2, upcasters: { 1: (p) => ({ count: Number(p.times) }) } } },
      },
    };
    const v1 = { ...sampleEnvelope('crm.ticket.v1', 'TicketClosed'), type: 'Greeted', schemaVersion: 1, payload: { times: '3' } };

    it('lifts a version-1 payload to the current version', () => {
      const result = validateEnvelope('test.greetings', JSON.parse(JSON.stringify(v1)), registry);
      if (!result.ok) throw new Error(result.message);
      expect(result.envelope.schemaVersion).toBe(2);
      expect(result.envelope.payload).toEqual(Object.assign(new GreetingV2(), { count: 3 }));
    });

    it('validates the upcast payload against the current class', () => {
      const result = validateEnvelope('test.greetings', { ...v1, payload: { times: '-1' } }, registry);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.code).toBe('INVALID_PAYLOAD');
    });
  });
});
