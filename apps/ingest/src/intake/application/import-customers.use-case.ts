import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { FieldError } from '@meridian/events';
import { Clock, FieldValidationException } from '@meridian/shared';
import { CastingContext, Info, parse } from 'csv-parse';
import { IngestConfig } from '../../config/ingest.config';
import { csvRowToEnvelope, headerProblems } from '../domain/customer-csv';
import { IntakeItem, IntakePipeline } from './intake-pipeline';
import { ImportLog } from './ports/import-log.port';

export interface BadRow {
  /** Line of the file where the row starts (the header is line 1). */
  line: number;
  eventId?: string;
  sourceCustomerId?: string;
  errors: FieldError[];
}

export interface ImportSummary {
  importId: string;
  rows: number;
  accepted: number;
  duplicate: number;
  rejected: number;
  /** The first INGEST_IMPORT_MAX_LISTED_ERRORS bad rows; all are counted in `rejected`. */
  badRows: BadRow[];
  badRowsTruncated: boolean;
  /** What the file describes: part of each row's identity (see csvRowToEnvelope). */
  asOf: string;
  startedAt: string;
  finishedAt: string;
}

const BATCH = 500;
/** One row may not be larger than this (a runaway quote would otherwise swallow the file). */
const MAX_ROW_BYTES = 64 * 1024;

/**
 * POST /v1/imports/customers: a CSV of customers, streamed through csv-parse in batches
 * of 500 rows into the same pipeline as Kafka and POST /v1/events — memory stays flat
 * however long the file. Good rows are kept, bad rows are counted and the first of them
 * listed with line, field and rule; the summary is kept in `imports`.
 */
@Injectable()
export class ImportCustomersUseCase {
  constructor(
    private readonly pipeline: IntakePipeline,
    private readonly config: IngestConfig,
    private readonly clock: Clock,
    private readonly imports: ImportLog,
  ) {}

  /** `asOf`: what the file describes (a business date or date-time); the import's date by default. */
  async execute(file: Readable, importedBy: string, asOf?: string): Promise<ImportSummary> {
    const startedAt = this.clock.now().toISOString();
    const summary: ImportSummary = {
      importId: randomUUID(),
      rows: 0,
      accepted: 0,
      duplicate: 0,
      rejected: 0,
      badRows: [],
      badRowsTruncated: false,
      asOf: asOf ?? startedAt.slice(0, 10),
      startedAt,
      finishedAt: startedAt,
    };
    const bad = (row: BadRow) => {
      summary.rejected++;
      if (summary.badRows.length < this.config.INGEST_IMPORT_MAX_LISTED_ERRORS) summary.badRows.push(row);
      else summary.badRowsTruncated = true;
    };

    let headerError: FieldError[] | undefined;
    const parser = parse({
      bom: true,
      columns: (header: string[]) => {
        const problems = headerProblems(header.map((h) => h.trim()));
        if (problems.length) {
          headerError = problems;
          throw new Error('bad header');
        }
        return header.map((h) => h.trim());
      },
      skip_empty_lines: true,
      skip_records_with_error: true,
      max_record_size: MAX_ROW_BYTES,
      info: true,
      cast: (value: string, _context: CastingContext) => value,
    });
    parser.on('skip', (error: Error & { lines?: number }) => {
      summary.rows++;
      bad({ line: error.lines ?? 0, errors: [{ field: '', rule: 'isCsvRecord', message: error.message }] });
    });
    let uploadError: Error | undefined;
    file.on('error', (error) => {
      uploadError = error;
      parser.destroy(error);
    });
    file.pipe(parser);

    let pending: Array<{ line: number; item: IntakeItem; sourceCustomerId?: string }> = [];
    const flush = async () => {
      if (!pending.length) return;
      const batch = pending;
      pending = [];
      const results = await this.pipeline.execute(batch.map((p) => p.item), { door: 'csv' });
      results.forEach((r, i) => {
        if (r.status === 'accepted') summary.accepted++;
        else if (r.status === 'duplicate') summary.duplicate++;
        else bad({ line: batch[i].line, ...(r.eventId ? { eventId: r.eventId } : {}), ...(batch[i].sourceCustomerId ? { sourceCustomerId: batch[i].sourceCustomerId } : {}), errors: r.errors });
      });
    };

    try {
      for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: Info }>) {
        summary.rows++;
        const line = info.lines;
        const mapped = csvRowToEnvelope(record, { occurredAt: startedAt, asOf: summary.asOf });
        const sourceCustomerId = record.sourceCustomerId?.trim() || undefined;
        if ('errors' in mapped) bad({ line, ...(sourceCustomerId ? { sourceCustomerId } : {}), errors: mapped.errors });
        else pending.push({ line, item: { raw: mapped.envelope }, sourceCustomerId });
        if (pending.length >= BATCH) await flush();
      }
    } catch (error) {
      if (headerError) throw new FieldValidationException(headerError);
      if (uploadError) {
        // Rows already applied stay applied; their eventIds come from their content, so sending the file again answers them duplicate.
        throw new FieldValidationException([
          { field: 'file', rule: 'isCompleteUpload', message: `the upload broke off after ${summary.rows} rows (${uploadError.message}); ${summary.accepted} were applied — send the whole file again` },
        ]);
      }
      throw error;
    }
    await flush();
    summary.badRows.sort((a, b) => a.line - b.line);
    summary.finishedAt = this.clock.now().toISOString();
    await this.imports.record(summary, importedBy);
    return summary;
  }
}
