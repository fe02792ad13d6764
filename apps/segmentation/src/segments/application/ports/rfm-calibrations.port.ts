import { RfmBreakpoints } from '../../domain/rfm-quantiles';
import { RfmInput } from '../../domain/rfm-score';

/** The quantile mode's breakpoints in force (DOMAIN.md: RFM), as the last sweep that moved them measured the base. */
export interface RfmCalibration {
  breakpoints: RfmBreakpoints;
  /** The sweep (its instant) that measured them. */
  sweepId: string;
  /** Customers measured per dimension (recency counts only those who ever transacted), and state documents read. */
  measured: { recency: number; frequency: number; monetary: number };
  documentsRead: number;
  calibratedAt: string;
}

/** RFM calibrations (STYLE.md rule 3: the port; `RfmCalibrationRepository` is the MongoDB adapter). */
export abstract class RfmCalibrations {
  abstract current(): Promise<RfmCalibration | undefined>;
  abstract save(calibration: RfmCalibration): Promise<void>;
  /** The one read of the whole base the recalibration makes: each ACTIVE customer's RFM inputs, through one cursor; answers the documents read. */
  abstract forEachActiveCustomer(visit: (input: RfmInput) => void): Promise<number>;
}
