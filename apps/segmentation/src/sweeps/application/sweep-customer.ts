import { rfmScores } from '../../segments/domain/rfm-score';
import { RuleBookEdition } from '../../segments/application/ports/rule-book.port';
import { SegmentStateDoc } from '../../segments/application/ports/segment-state-store.port';
import { reevaluate, rejudgeCause } from '../../segments/application/judged-writes';
import { Decided } from '../../segments/application/state-writes';

/** The cause of a sweep's events: its instant, compact (`s20261201T010000000Z`). */
export const sweepCause = (asOf: string) => `s${new Date(asOf).toISOString().replace(/[-:.]/g, '')}`;

/**
 * A due customer at the sweep's instant, with the features they last had: time alone moved
 * (dormancy, AT_RISK by inactivity, the end of a downgrade grace, NEW running out). Written
 * whenever the instant moves the state forward, so the next due instant is counted from it;
 * a customer already evaluated at or after it (a resumed sweep, a newer event) is left as is.
 */
export function sweepCustomer(doc: SegmentStateDoc | undefined, asOf: string, edition: RuleBookEdition): Decided {
  if (!doc || doc.status !== 'ACTIVE' || Date.parse(doc.asOf) >= Date.parse(asOf)) return { fresh: [] };
  return reevaluate(doc, asOf, edition, sweepCause(asOf));
}

/**
 * A customer of the base after RFM's breakpoints were recalibrated: judged again only when
 * the breakpoints in force score them otherwise than their stored RFM — whenever they were
 * last evaluated (a customer evaluated after the sweep's instant, on the breakpoints before,
 * is re-scored at their own instant). Re-scored at the sweep's instant, time's other moves
 * due by then come with it. Its cause is the write's rev (`r<rev>`), not the sweep's instant:
 * a resumed pass may re-score a customer whom another instance moved back meanwhile, and that
 * second move must not share the first's eventId.
 */
export function rescoreCustomer(doc: SegmentStateDoc | undefined, asOf: string, edition: RuleBookEdition): Decided {
  if (!doc || doc.status !== 'ACTIVE') return { fresh: [] };
  const at = Date.parse(doc.asOf) > Date.parse(asOf) ? doc.asOf : asOf;
  const now = rfmScores(doc.features, at, edition.numbers.rfmBreakpoints);
  const stored = doc.facts.rfm;
  if (now.r === stored.r && now.f === stored.f && now.m === stored.m) return { fresh: [] };
  return reevaluate(doc, asOf, edition, rejudgeCause(doc.rev + 1));
}
