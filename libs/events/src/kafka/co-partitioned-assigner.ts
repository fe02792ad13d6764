import { AssignerProtocol, PartitionAssigner } from 'kafkajs';

/**
 * Assigns partition p of every subscribed topic to the same group member (members sorted,
 * p modulo their count). Every canonical topic is keyed by customerId and partitioned the
 * same way, so all of one customer's events — whatever their topic — reach one instance:
 * one writer per customer, as in Kafka Streams' co-partitioning, without a database-side
 * compare-and-set (which FerretDB v1 does not make atomic). Topics must have equal
 * partition counts (tools/infra and k8s/ declare them so).
 */
export const CoPartitionedAssigner: PartitionAssigner = ({ cluster }) => ({
  name: 'MeridianCoPartitionedAssigner',
  version: 0,
  async assign({ members, topics }) {
    const sorted = members.map((m) => m.memberId).sort();
    const assignment: Record<string, Record<string, number[]>> = {};
    for (const topic of topics) {
      for (const { partitionId } of cluster.findTopicPartitionMetadata(topic)) {
        const member = sorted[partitionId % sorted.length];
        ((assignment[member] ??= {})[topic] ??= []).push(partitionId);
      }
    }
    return Object.entries(assignment).map(([memberId, topicPartitions]) => ({
      memberId,
      memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 0, assignment: topicPartitions, userData: Buffer.alloc(0) }),
    }));
  },
  protocol({ topics }) {
    return { name: 'MeridianCoPartitionedAssigner', metadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) }) };
  },
});
