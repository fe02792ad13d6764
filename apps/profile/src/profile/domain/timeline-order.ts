/**
 * The timeline's order (newest first: the event's own time, then its eventId) as one
 * string that sorts the same way, so an index can hold it and a cursor compare with it:
 * milliseconds since the epoch, zero-padded to a fixed width, then the eventId.
 */
export function timelineKey(occurredAt: string, eventId: string): string {
  return `${String(Date.parse(occurredAt)).padStart(15, '0')}|${eventId}`;
}

export function eventIdOfTimelineKey(key: string): string {
  return key.slice(key.indexOf('|') + 1);
}
