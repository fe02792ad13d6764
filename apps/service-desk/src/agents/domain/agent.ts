import { TicketQueue } from '@meridian/events';

/** An agent of the service desk as the roster keeps them: the queues they serve, how many open tickets they may hold, and whether they take work now. */
export interface Agent {
  agentId: string;
  queues: TicketQueue[];
  capacity: number;
  available: boolean;
}
