import type { ImportSummary } from '../import-customers.use-case';

/**
 * Where a CSV import's summary is kept, with who imported it (STYLE.md rule 3: a port,
 * bound in app.module.ts to infrastructure/import-log.repository.ts).
 */
export abstract class ImportLog {
  abstract record(summary: ImportSummary, importedBy: string): Promise<void>;
}
