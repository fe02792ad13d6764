import { Injectable, Logger } from '@nestjs/common';
import { evaluateCustomer } from '../domain/evaluate-customer';
import { DerivedDataMissing } from './ports/derived-data.port';
import { RuleBook, RuleBookEdition } from './ports/rule-book.port';
import { SegmentStateDoc } from './ports/segment-state-store.port';
import { announce } from './segment-announcements';
import { Decided, StateWrites, Written } from './state-writes';

type Decide = (doc: SegmentStateDoc | undefined, edition: RuleBookEdition, customerId: string) => Decided;

type Active = Extract<SegmentStateDoc, { status: 'ACTIVE' }>;

/** The customer judged again at `asOf` (or their own instant, if later) on the features they last had, under `cause`. */
export function reevaluate(doc: Active, asOf: string, edition: RuleBookEdition, cause: string): Decided {
  const evaluation = evaluateCustomer(doc, doc.features, asOf, doc.profileVersion, edition.membership, edition.numbers);
  const fresh = announce(evaluation.changes, { customerId: doc._id, cause, occurredAt: evaluation.state.asOf });
  return { next: { _id: doc._id, rev: doc.rev + 1, status: 'ACTIVE', ...evaluation.state, outbox: [...doc.outbox, ...fresh] }, fresh };
}

/** The cause of a re-judgement on a rule book that moved: the write's own rev, so its eventIds are the customer's alone. */
export const rejudgeCause = (rev: number) => `r${rev}`;

/**
 * A customer judged again at their own instant on a rule book that moved (a segment written,
 * RFM's breakpoints recalibrated): only what the rules decide can change. Written only when
 * something does.
 */
export function rejudgeCustomer(doc: SegmentStateDoc | undefined, edition: RuleBookEdition): Decided {
  if (!doc || doc.status !== 'ACTIVE') return { fresh: [] };
  const decided = reevaluate(doc, doc.asOf, edition, rejudgeCause(doc.rev + 1));
  return decided.fresh.length ? decided : { fresh: [] };
}

/** What a judged run did: its writes as first decided, and the events it published. */
export interface Judged {
  written: Written[];
  published: number;
}

/**
 * Every way segmentation changes customers (a ProfileUpdated run, a sweep's step, a
 * back-fill's, the RFM re-scoring's) decides on the rule book in force, and the rule book
 * may move meanwhile, on any instance: a segment written starts its back-fill, new
 * breakpoints their re-scoring, and either may have passed these customers before this run
 * wrote them on the old rules. So after settling, if the edition moved, the run's customers
 * are judged again on the new one — until it stands still — and what stays is what the
 * rules in force say.
 */
@Injectable()
export class JudgedWrites {
  private readonly logger = new Logger('JudgedWrites');

  constructor(
    private readonly writes: StateWrites,
    private readonly ruleBook: RuleBook,
  ) {}

  /** Loads, decides on the rule book in force, writes and settles the customers; then judges them again while the rule book moved. */
  async run(customerIds: readonly string[], decide: Decide): Promise<Judged> {
    let edition = await this.ruleBook.current();
    const loaded = await this.writes.load(customerIds);
    const written = await this.writes.writeAll(customerIds.map((customerId) => ({ customerId, loaded: loaded.get(customerId), decide: (doc) => decide(doc, edition, customerId) })));
    let published = await this.writes.settle(written, edition.numbers);
    for (let latest = await this.ruleBook.current(); latest !== edition; latest = await this.ruleBook.current()) {
      edition = latest;
      this.logger.log(`the rule book moved while ${customerIds.length} customers were decided: judging them again on the new one`);
      const now = await this.writes.load(customerIds);
      const again = await this.writes.writeAll(customerIds.map((customerId) => ({ customerId, loaded: now.get(customerId), decide: (doc) => rejudgeCustomer(doc, latest) })));
      published += await this.writes.settle(again, latest.numbers);
    }
    return { written, published };
  }

  /**
   * As `run`, for the passes that wait out a rebuild of the derived data (ADR 0009): each
   * attempt after `built()` says it stands, with a decision `decideFor()` makes afresh. A
   * settle refused because Redis had lost it leaves the writes standing unsettled; judged
   * again once it is rebuilt, they change nothing more and settle.
   */
  async runOnceBuilt(customerIds: readonly string[], decideFor: () => Decide, built: () => Promise<unknown>): Promise<Judged> {
    for (;;) {
      await built();
      try {
        return await this.run(customerIds, decideFor());
      } catch (error) {
        if (!(error instanceof DerivedDataMissing)) throw error;
      }
    }
  }
}
