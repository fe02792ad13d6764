import { Injectable } from '@nestjs/common';
import { mapLimit } from '@meridian/shared';
import { CampaignConfig } from '../../config/campaign.config';
import { CustomerRecords } from '../../customers/application/ports/customer-records.port';
import { factsOf } from '../../customers/domain/customer-facts';
import { scoreLead } from '../domain/lead-score';
import { LeadChanges } from './lead-changes';
import { IntentSignals } from './ports/intent-signals.port';
import { LeadIndex } from './ports/lead-index.port';

/** Customers rescored at once (each under its own lead lock). */
const CONCURRENCY = 16;

/**
 * Issue 13, point 1: leads scored on the events that move them — a ProfileUpdated (AUM, products,
 * RM, branch), segmentation's news (tier, the HIGH_POTENTIAL tag), an intent interaction — never
 * on a schedule. Each customer named is scored from what campaign keeps of them as of their
 * event's instant; only those who reach the qualifying score or hold an open lead go further (a
 * lead opened, rescored, assigned). An erased or merged customer is passed over (the erasure
 * itself forgets the lead: ForgetLeadsUseCase).
 */
@Injectable()
export class ScoreLeadsUseCase {
  constructor(
    private readonly customers: CustomerRecords,
    private readonly intent: IntentSignals,
    private readonly index: LeadIndex,
    private readonly changes: LeadChanges,
    private readonly config: CampaignConfig,
  ) {}

  async execute(moved: ReadonlyArray<{ customerId: string; at: string }>): Promise<void> {
    if (!moved.length) return;
    const latest = new Map<string, string>();
    for (const m of moved) if (!latest.has(m.customerId) || Date.parse(m.at) > Date.parse(latest.get(m.customerId) as string)) latest.set(m.customerId, m.at);
    const ids = [...latest.keys()];
    const rules = this.config.leads;
    const [records, signals, open] = await Promise.all([this.customers.get(ids), this.intent.of(ids), this.index.openAmong(ids)]);
    const work = ids.flatMap((customerId) => {
      const facts = factsOf(records.get(customerId));
      if (!facts) return [];
      const at = latest.get(customerId) as string;
      const scored = scoreLead({ aumMinor: facts.aumMinor, tier: facts.tier, tags: facts.tags, productsHeld: facts.productsHeld, intent: signals.get(customerId) ?? [], asOf: at }, rules);
      return scored.score >= rules.qualifyAt || open.has(customerId) ? [{ customer: { customerId, branchId: facts.branchId, rmId: facts.rmId }, scored, at }] : [];
    });
    await mapLimit(work, CONCURRENCY, (w) => this.changes.rescore(w.customer, w.scored, w.at));
  }
}
