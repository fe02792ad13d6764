/** One assignment run at a time across instances: a run that finds another going skips its turn. */
export abstract class AssignmentRuns {
  /** Runs `work` alone, or answers undefined when another run holds the turn. */
  abstract alone<T>(work: () => Promise<T>): Promise<T | undefined>;
}
