import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { nativeCollection } from '@meridian/shared';
import type { Connection } from 'mongoose';
import type { ImportSummary } from '../application/import-customers.use-case';
import { ImportLog } from '../application/ports/import-log.port';

/** The first bad rows kept with an import; all of them are counted in `rejected`. */
const KEPT_BAD_ROWS = 100;

/** imports: one document per CSV import, its summary and who imported it. */
@Injectable()
export class ImportLogRepository implements ImportLog {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  async record(summary: ImportSummary, importedBy: string): Promise<void> {
    await nativeCollection(this.connection, 'imports').insertOne({
      _id: summary.importId as never,
      importedBy,
      ...summary,
      badRows: summary.badRows.slice(0, KEPT_BAD_ROWS),
    });
  }
}
