/** One assignment run at a time across instances: a run that finds another going skips its turn. */
export abstract class AssignmentRuns {
  /** Runs `work` alone, or answers undefined when another run holds the turn; `fence` throws once the turn was lost (call it before each assignment). */
  abstract alone<T>(work: (fence: () => Promise<void>) => Promise<T>): Promise<T | undefined>;
}
