export * from './fact-fields';
export * from './rule-query';
export * from './segment-facts';
export * from './stored-facts';
