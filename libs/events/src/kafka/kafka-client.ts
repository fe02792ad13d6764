import { Kafka, KafkaConfig, logLevel as KafkaLogLevel, LogEntry } from 'kafkajs';
import { EventLogger, silentLogger } from './ports';

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  logger?: EventLogger;
  /** Extra kafkajs settings (ssl, sasl) for production clusters. */
  extra?: Partial<KafkaConfig>;
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
      ({ level, log }: LogEntry) => {
        const { message, timestamp: _timestamp, logger: _logger, ...rest } = log as typeof log & { timestamp?: string; logger?: string };
        const context = { ...rest, component: 'kafkajs' };
        if (level === KafkaLogLevel.ERROR) logger.error(message, context);
        else if (level === KafkaLogLevel.WARN) logger.warn(message, context);
        else logger.debug(message, context);
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
