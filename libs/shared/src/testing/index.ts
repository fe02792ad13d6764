export * from './test-servers';
export * from './topic-reader';
export * from './service-process';
export * from './jwt';
export * from './service-e2e';
export * from './tcp-proxy';
export * from './log-lines';
export * from './describe-route-roles';
