import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { CustomerErased, EventEnvelope, TOPICS } from '@meridian/events';
import { BatchEventPattern, BatchOutcome, BatchRecord, deadLetterReason } from '@meridian/events/kafka';
import { RecordErasuresUseCase } from '../application/record-erasures.use-case';
import { MergeEvent, RecordMergesUseCase } from '../application/record-merges.use-case';

const MERGES = new Set(['IdentityMerged', 'IdentityUnmerged']);

/**
 * crm.governance.v1 at the desk (ADR 0012): IdentityMerged and IdentityUnmerged say who holds
 * whose tickets; CustomerErased marks the customer (and everyone merged into them) erased. Taken
 * in the order they came, a run of one kind at a time; the rest of governance's news is skipped.
 */
@Controller()
export class GovernanceConsumer {
  constructor(
    private readonly erasures: RecordErasuresUseCase,
    private readonly merges: RecordMergesUseCase,
  ) {}

  @BatchEventPattern([TOPICS.governance])
  async onGovernanceEvents(@Payload() records: BatchRecord[]): Promise<BatchOutcome[]> {
    const outcomes: BatchOutcome[] = [];
    let run: { kind: 'erase' | 'merge'; envelopes: EventEnvelope<unknown>[] } | undefined;
    const flush = async () => {
      if (run?.kind === 'erase') await this.erasures.execute(run.envelopes.map((e) => (e as EventEnvelope<CustomerErased>).payload.customerId));
      if (run?.kind === 'merge') await this.merges.execute(run.envelopes as MergeEvent[]);
      run = undefined;
    };
    for (const record of records) {
      if (!record.decoded.ok) {
        outcomes.push({ status: 'rejected', reason: deadLetterReason(record.decoded) });
        continue;
      }
      const envelope = record.decoded.envelope;
      const kind = envelope.type === 'CustomerErased' ? 'erase' : MERGES.has(envelope.type) ? 'merge' : undefined;
      if (!kind) {
        outcomes.push({ status: 'skipped' });
        continue;
      }
      if (run && run.kind !== kind) await flush();
      run ??= { kind, envelopes: [] };
      run.envelopes.push(envelope);
      outcomes.push({ status: 'applied' });
    }
    await flush();
    return outcomes;
  }
}
