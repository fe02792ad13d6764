import { logLevel } from 'kafkajs';
import { kafkajsLevel } from './kafka-client';

describe('kafkajsLevel', () => {
  const entry = (namespace: string, level: logLevel, message: string) => ({ namespace, level, log: { message } });

  it.each([
    // Start-up transients kafkajs logs before retrying or handing the error to the caller.
    ['Connection', logLevel.ERROR, 'Response JoinGroup(key: 11, version: 5)', 'debug'],
    ['Connection', logLevel.ERROR, 'Response CreateTopics(key: 19, version: 3)', 'debug'],
    // What is wrong stays an error: a broker that cannot be reached, a consumer that crashed.
    ['Connection', logLevel.ERROR, 'Connection error: connect ECONNREFUSED 127.0.0.1:9092', 'error'],
    ['Consumer', logLevel.ERROR, 'Crash: KafkaJSNumberOfRetriesExceeded: The coordinator is loading', 'error'],
    ['Consumer', logLevel.ERROR, 'Crash: KafkaJSError: Outage', 'error'],
    // A group coordinator still loading on a broker that has just started: the consumer restarts and waits.
    ['Consumer', logLevel.ERROR, "Crash: KafkaJSProtocolError: The coordinator is loading and hence can't process requests for this group", 'warn'],
    ['Consumer', logLevel.ERROR, 'Restarting the consumer in 200ms', 'warn'],
    ['BrokerPool', logLevel.ERROR, 'Failed to connect to seed broker, trying another broker from the list', 'error'],
    ['Consumer', logLevel.WARN, 'Restarting the consumer in 300ms', 'warn'],
    ['Runner', logLevel.INFO, 'Consumer has joined the group', 'debug'],
  ] as const)('%s %s "%s" → %s', (namespace, level, message, expected) => {
    expect(kafkajsLevel(entry(namespace, level, message))).toBe(expected);
  });
});
