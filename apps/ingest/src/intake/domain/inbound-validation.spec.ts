import fc from 'fast-check';
import { sampleEnvelope } from '@meridian/events/testing';
import { HTTP_TOPIC, validateInbound } from './inbound-validation';
import { businessRuleErrors } from './canonical-event';
import { parseFxTable } from './money';
import { INBOUND_TYPES as INBOUND } from '../../testing/ingest-fixtures';

const fx = parseFxTable('USD=7.1');

describe('inbound validation (properties)', () => {
  it('accepts every valid sample and names its core topic', () => {
    for (const [topic, type] of INBOUND) {
      const { decoded, topic: named } = validateInbound(sampleEnvelope(topic, type));
      expect(decoded.ok).toBe(true);
      expect(named).toBe(topic);
    }
  });

  it('never throws on any JSON value, and every refusal names a field and a rule', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const { decoded, topic } = validateInbound(value);
        if (decoded.ok) return;
        expect(topic).toBe(HTTP_TOPIC);
        expect(decoded.errors.length).toBeGreaterThan(0);
        for (const e of decoded.errors) {
          expect(typeof e.field).toBe('string');
          expect(e.rule).toMatch(/^[a-zA-Z]+$/);
          expect(e.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a valid envelope with one payload field replaced by anything is accepted or refused naming that field', () => {
    const anyValue = fc.oneof(fc.string(), fc.string({ unit: 'grapheme', maxLength: 300 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string()), fc.object());
    fc.assert(
      fc.property(fc.constantFrom(...INBOUND), fc.nat(), anyValue, ([topic, type], pick, value) => {
        const envelope = sampleEnvelope(topic, type);
        const payload = envelope.payload as Record<string, unknown>;
        const field = Object.keys(payload)[pick % Object.keys(payload).length];
        payload[field] = value;
        const { decoded } = validateInbound(JSON.parse(JSON.stringify(envelope)));
        if (decoded.ok) {
          // Whatever passed the contract, the business rules judge without throwing.
          expect(Array.isArray(businessRuleErrors(decoded.envelope, fx))).toBe(true);
          return;
        }
        expect(decoded.errors.map((e) => e.field)).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^payload\\.(${field}|birthDate|idNumber)(\\.|$)`))]));
      }),
      { numRuns: 1_000 },
    );
  });
});
