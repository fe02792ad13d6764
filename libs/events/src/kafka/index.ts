export * from './ports';
export * from './kafka-client';
export * from './topic-admin';
export * from './event-publisher';
export * from './consumer-runner';
export * from './co-partitioned-assigner';
export * from './nest/kafka-event.context';
export * from './nest/kafka-event.server';
