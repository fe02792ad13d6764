import { Agent } from '../../domain/agent';

/** The service desk's agents (one roster document, read by `_id`; ADMIN keeps it). */
export abstract class AgentRoster {
  abstract all(): Promise<Agent[]>;
  /** Adds or replaces one agent (writes serialised across instances). */
  abstract put(agent: Agent): Promise<void>;
}
