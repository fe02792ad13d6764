/** The routing table in force (classification/routing-table.v1.json, checked at start: a refused table stops the service naming its problems). */
export const ROUTING_TABLE = Symbol('ROUTING_TABLE');
