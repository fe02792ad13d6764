import { createHash } from 'node:crypto';

/**
 * The id of the ticket an interaction opens: derived from the interaction's business key
 * (source system and interactionId), so however often it is delivered it names one ticket.
 */
export function ticketIdFor(sourceSystem: string, interactionId: string): string {
  const digest = createHash('sha256').update(`${sourceSystem}\u0000${interactionId}`).digest('base64url');
  return `TKT-${digest.slice(0, 22)}`;
}
