/** The key of a Kafka partition in a profile's offsets (`topic|partition`, dots replaced: a MongoDB field name). */
export function offsetKey(topic: string, partition: number): string {
  return `${topic.replace(/\./g, '_')}|${partition}`;
}
