import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { nativeCollection } from '@meridian/shared';
import type { Connection } from 'mongoose';
import { RfmCalibration, RfmCalibrations } from '../application/ports/rfm-calibrations.port';
import { RfmInput } from '../domain/rfm-score';

const ID = 'rfm-calibration';
const BATCH = 1_000;

/** What the pass reads of a state document: RFM's three inputs (stored as queried facts, so a projection reaches them). */
const PROJECTION = { _id: 0, status: 1, 'facts.lastTransactionAt': 1, 'facts.txnCount90d': 1, 'facts.txnAmount90dMinor': 1 };

type StateFacts = { status: string; facts?: Partial<RfmInput> };

/** segment_settings: one document by `_id` (ADR 0005); the pass reads segment_states through one cursor. */
@Injectable()
export class RfmCalibrationRepository implements RfmCalibrations {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  private get settings() {
    return nativeCollection<RfmCalibration & { _id: string }>(this.connection, 'segment_settings');
  }

  async current(): Promise<RfmCalibration | undefined> {
    const doc = await this.settings.findOne({ _id: ID });
    if (!doc) return undefined;
    const { _id, ...calibration } = doc;
    return calibration;
  }

  async save(calibration: RfmCalibration): Promise<void> {
    await this.settings.replaceOne({ _id: ID }, calibration, { upsert: true });
  }

  async forEachActiveCustomer(visit: (input: RfmInput) => void): Promise<number> {
    const states = nativeCollection<StateFacts & { _id: string }>(this.connection, 'segment_states');
    let read = 0;
    for await (const doc of states.find({}, { projection: PROJECTION, batchSize: BATCH })) {
      read++;
      const f = doc.facts;
      if (doc.status !== 'ACTIVE' || !f) continue;
      visit({ lastTransactionAt: f.lastTransactionAt, txnCount90d: f.txnCount90d ?? 0, txnAmount90dMinor: f.txnAmount90dMinor ?? 0 });
    }
    return read;
  }
}
