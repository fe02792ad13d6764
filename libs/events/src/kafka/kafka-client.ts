import { Kafka, KafkaConfig, logLevel as KafkaLogLevel, LogEntry } from 'kafkajs';
import { EventLogger, silentLogger } from './ports';

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  logger?: EventLogger;
  /** Extra kafkajs settings (ssl, sasl) for production clusters. */
  extra?: Partial<KafkaConfig>;
}

/**
 * The level a kafkajs log entry is written at. kafkajs' Connection logs every failed
 * response at ERROR before its retrier or our code has looked at it: during a healthy
 * start that is "The coordinator is loading" (retried until the group coordinator is up)
 * and "Topic creation errors" (TOPIC_ALREADY_EXISTS when instances race in ensureTopics).
 * Such a failure that matters reaches the caller as a thrown error and is reported there
 * (a consumer crash, a failed publish, a failed start-up), so here it is debug: an error
 * line means something is wrong. Connection failures and everything else keep their level.
 */
export function kafkajsLevel(entry: Pick<LogEntry, 'namespace' | 'level'> & { log: { message: string } }): 'error' | 'warn' | 'debug' {
  if (entry.level === KafkaLogLevel.ERROR) {
    if (entry.namespace === 'Connection' && entry.log.message.startsWith('Response ')) return 'debug';
    if (entry.namespace === 'Consumer' && isCoordinatorWait(entry.log.message)) return 'warn';
    return 'error';
  }
  return entry.level === KafkaLogLevel.WARN ? 'warn' : 'debug';
}

const COORDINATOR_NOT_READY = /coordinator is loading|not the correct coordinator|coordinator is not available|rebalance in progress/i;

/**
 * A consumer that joined a group whose coordinator is still loading (a broker that has just
 * started) crashes with that protocol error and restarts at once: kafkajs logs both at ERROR.
 * It is waiting for the coordinator, said once at warn. A crash after the retries ran out
 * (KafkaJSNumberOfRetriesExceeded), or for any other reason, stays an error.
 */
function isCoordinatorWait(message: string): boolean {
  return (message.startsWith('Crash: KafkaJSProtocolError') && COORDINATOR_NOT_READY.test(message)) || message.startsWith('Restarting the consumer');
}

/** The one place kafkajs is configured (STYLE.md rule 15: kafkajs stays behind our own port). */
export function createKafka(options: KafkaClientOptions): Kafka {
  const logger = options.logger ?? silentLogger;
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    connectionTimeout: 5_000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 200, retries: 8 },
    logLevel: KafkaLogLevel.WARN,
    logCreator:
      () =>
      (entry: LogEntry) => {
        const { message, timestamp: _timestamp, logger: _logger, ...rest } = entry.log as LogEntry['log'] & { logger?: string };
        logger[kafkajsLevel(entry)](message, { ...rest, component: 'kafkajs', namespace: entry.namespace });
      },
    ...options.extra,
  });
}

export function parseBrokers(list: string): string[] {
  return list
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
}
