/** The partition a customer belongs to: FNV-1a over the id, so every instance and every service agrees. */
export function customerPartition(customerId: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < customerId.length; i++) {
    hash ^= customerId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % partitions;
}
