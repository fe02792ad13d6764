import { EvaluationRules, MembershipRules } from '../../domain/segment-state';

/** What customers are evaluated against right now: the catalogue's tags and the segments defined, and the numbers in force. */
export interface RuleBookEdition {
  membership: MembershipRules;
  numbers: EvaluationRules;
}

/** The rule book (STYLE.md rule 3: the port): tags from the versioned catalogue, segments from their definitions, numbers from config (and the sweep's recalibration). */
export abstract class RuleBook {
  /** The edition in force: the same object while it is, a new one once it moved (JudgedWrites compares them). */
  abstract current(): Promise<RuleBookEdition>;
}
