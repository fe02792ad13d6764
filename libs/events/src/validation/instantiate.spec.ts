import fc from 'fast-check';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { SAMPLE_PAYLOADS } from '../fixtures/event-samples';
import { TOPIC_REGISTRY, allTopicTypes } from '../topics/topic-registry';
import { instantiate } from './instantiate';
import { toFieldErrors } from './validation-error';

const options = { forbidUnknownValues: true, whitelist: true, validationError: { target: false, value: false } };
const classOf = (topic: string, type: string) => TOPIC_REGISTRY[topic].types[type].payload;
const errorsOf = (object: object) => toFieldErrors(validateSync(object, options)).sort((a, b) => (a.field + a.rule).localeCompare(b.field + b.rule));

/** Replaces the value at a path of nested objects (a random walk into the sample). */
function mutate(value: Record<string, unknown>, steps: number[], replacement: unknown): void {
  let node = value;
  for (const step of steps) {
    const keys = Object.keys(node);
    if (!keys.length) return;
    const key = keys[step % keys.length];
    const child = node[key];
    if (child !== null && typeof child === 'object' && !Array.isArray(child) && step % 3 !== 0) node = child as Record<string, unknown>;
    else {
      node[key] = replacement;
      return;
    }
  }
}

describe('instantiate (plainToInstance for the contract classes, cheaper)', () => {
  it('gives class-validator the same verdict as plainToInstance on any mutation of every sample (property)', () => {
    const pairs = allTopicTypes().filter(({ topic, type }) => SAMPLE_PAYLOADS[topic]?.[type]);
    fc.assert(
      fc.property(fc.constantFrom(...pairs), fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), fc.jsonValue(), ({ topic, type }, steps, replacement) => {
        const payload = structuredClone(SAMPLE_PAYLOADS[topic][type]);
        mutate(payload, steps, replacement);
        const cls = classOf(topic, type);
        expect(errorsOf(instantiate(cls, JSON.parse(JSON.stringify(payload))))).toEqual(errorsOf(plainToInstance(cls, JSON.parse(JSON.stringify(payload))) as object));
      }),
      { numRuns: 2_000 },
    );
  });

  it('builds nested contract classes and never sets a prototype from the input', () => {
    const sample = JSON.parse(JSON.stringify(SAMPLE_PAYLOADS['core.customers.v1'].CustomerUpserted));
    const instance = instantiate(classOf('core.customers.v1', 'CustomerUpserted'), sample) as any;
    expect(instance.consents.constructor.name).toBe('Consents');
    expect(instance.consents.marketing.constructor.name).toBe('MarketingConsents');
    const hostile = instantiate(classOf('core.customers.v1', 'CustomerUpserted'), JSON.parse('{"__proto__": {"polluted": true}, "name": "x"}')) as any;
    expect(hostile.polluted).toBeUndefined();
    expect(({} as any).polluted).toBeUndefined();
    expect(hostile.constructor.name).toBe('CustomerUpserted');
    // A "constructor" key neither replaces the class class-validator validates against nor is kept.
    const withCtor = instantiate(classOf('core.customers.v1', 'CustomerUpserted'), { ...sample, constructor: 'x', consents: { ...sample.consents, constructor: { a: 1 } } }) as any;
    expect(withCtor.constructor.name).toBe('CustomerUpserted');
    expect(withCtor.consents.constructor.name).toBe('Consents');
    expect(errorsOf(withCtor)).toEqual([]);
  });
});
