import { SweepProgress } from './sweep-records.port';

/** What a sweep shows on /metrics as it goes. */
export abstract class SweepMetrics {
  abstract stepDone(added: SweepProgress): void;
  abstract partitionsDone(done: number, of: number): void;
}
