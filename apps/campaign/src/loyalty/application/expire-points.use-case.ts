import { Injectable, Logger } from '@nestjs/common';
import { mapLimit } from '@meridian/shared';
import { PointsChanges } from './points-changes';
import { PointsMarks } from './ports/points-marks.port';

export interface ExpiryRun {
  asOf: string;
  /** Accounts due by `asOf` that were looked at. */
  accounts: number;
  /** Expiry entries made, and the points they took. */
  expired: number;
  points: number;
  /** Accounts that could not be changed now (their lock held too long, a store down): due still, taken by the next run. */
  failed: number;
}

const STEP = 200;
const CONCURRENCY = 8;

/**
 * The daily expiry (issue 13, point 4; DOMAIN.md: points expire after 24 months): every account
 * whose first lot lapsed by `asOf` — read from the due index, never by scanning accounts — gets an
 * expiry entry a lapsed award (oldest first), announced as PointsExpired. Run by the daily job at
 * its instant, or through `POST /v1/points/expiries {asOf}`; the same `asOf` again finds nothing due.
 */
@Injectable()
export class ExpirePointsUseCase {
  private readonly logger = new Logger('ExpirePoints');

  constructor(
    private readonly changes: PointsChanges,
    private readonly marks: PointsMarks,
  ) {}

  async execute(asOf: Date): Promise<ExpiryRun> {
    const run: ExpiryRun = { asOf: asOf.toISOString(), accounts: 0, expired: 0, points: 0, failed: 0 };
    const failed = new Set<string>();
    for (;;) {
      // An account changed leaves the index at its next lapse (after asOf), so each step reads the next ones due; those that failed are passed over (taken by the next run).
      const due = (await this.marks.dueBy(asOf, STEP + failed.size)).filter((id) => !failed.has(id));
      if (!due.length) return run;
      await mapLimit(due, CONCURRENCY, async (customerId) => {
        run.accounts += 1;
        try {
          const [result] = await this.changes.apply(customerId, [{ kind: 'EXPIRE', asOf: run.asOf }]);
          if (result.status !== 'APPLIED') return;
          run.expired += result.entries.length;
          run.points += result.entries.reduce((s, e) => s + e.points, 0);
        } catch (error) {
          failed.add(customerId);
          run.failed = failed.size;
          this.logger.warn(`points of ${customerId} not expired as of ${run.asOf} (left for the next run): ${(error as Error).message}`);
        }
      });
    }
  }
}
