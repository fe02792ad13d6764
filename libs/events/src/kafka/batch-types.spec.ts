import type { KafkaMessage } from 'kafkajs';
import { TOPICS, TOPIC_REGISTRY } from '../topics/topic-registry';
import { checkBatchTypes, typeHeader } from './batch-types';

const message = (headers: Record<string, unknown>): KafkaMessage => ({ key: null, value: null, timestamp: '0', attributes: 0, offset: '0', size: 0, headers: headers as KafkaMessage['headers'] });

describe('typeHeader', () => {
  it('reads the type header as text, the last of repeated ones, and none for an absent or null one', () => {
    expect(typeHeader(message({ type: Buffer.from('TierChanged') }))).toBe('TierChanged');
    expect(typeHeader(message({ type: 'TierChanged' }))).toBe('TierChanged');
    expect(typeHeader(message({ type: [Buffer.from('A'), Buffer.from('TierChanged')] }))).toBe('TierChanged');
    expect(typeHeader(message({ type: null }))).toBeUndefined();
    expect(typeHeader(message({ type: [null] }))).toBeUndefined();
    expect(typeHeader(message({}))).toBeUndefined();
  });
});

describe('checkBatchTypes', () => {
  it('takes types of the topic on crm.* topics, and refuses others, none, and core.* topics', () => {
    expect(() => checkBatchTypes(new Map([[TOPICS.segment, new Set(['TierChanged'])]]), TOPIC_REGISTRY)).not.toThrow();
    expect(() => checkBatchTypes(new Map([[TOPICS.segment, new Set(['TierChange'])]]), TOPIC_REGISTRY)).toThrow(/TierChange is not a type/);
    expect(() => checkBatchTypes(new Map([[TOPICS.segment, new Set<string>()]]), TOPIC_REGISTRY)).toThrow(/none named/);
    expect(() => checkBatchTypes(new Map([[TOPICS.coreCustomers, new Set(['CustomerUpserted'])]]), TOPIC_REGISTRY)).toThrow(/core\.\*/);
  });
});
