import { IsOffsetDateTime, MinorUnits, OptionalMinorUnits, RequiredString, toFieldErrors } from '@meridian/events';
import { Type, plainToInstance } from 'class-transformer';
import { IsBoolean, IsDefined, IsInt, IsOptional, Max, Min, ValidateNested, validateSync } from 'class-validator';
import type { ChurnInput } from '../../segments/domain/churn-risk';

const OptionalCount = () => (target: object, property: string | symbol) => [IsOptional(), IsInt(), Min(0)].forEach((d) => d(target, property));

/** The ProfileFeatures fields the churn model reads (ChurnInput), under the contract's own rules (crm.profile.v1). */
export class ChurnTrainingFeatures implements ChurnInput {
  @IsOptional() @IsOffsetDateTime() lastActivityAt?: string;
  @IsInt() @Min(0) txnCount30d!: number;
  @OptionalCount() txnCountPrior60d?: number;
  @MinorUnits(0) aumMinor!: number;
  @OptionalMinorUnits() aumChange30dMinor?: number;
  @OptionalCount() productsClosed90d?: number;
  @OptionalCount() complaints90d?: number;
  @IsOptional() @IsInt() @Min(1) @Max(5) latestCsat?: number;
  @OptionalCount() appLogins30d?: number;
  @OptionalCount() appLoginsPrior30d?: number;
}

/** One labelled snapshot of `npm run train:churn`'s JSONL: the features as of `asOf`, and whether the customer churned after. */
export class ChurnTrainingRow {
  @RequiredString(64) customerId!: string;
  @IsOffsetDateTime() asOf!: string;
  @IsDefined() @ValidateNested() @Type(() => ChurnTrainingFeatures) features!: ChurnTrainingFeatures;
  @IsBoolean() churned!: boolean;
}

/** A line of the file that is not a valid row: names the line (1-based) and the field (in `reason` too), so a bank can fix its export. */
export class ChurnTrainingDataError extends Error {
  constructor(
    readonly line: number,
    readonly field: string,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

function parseLine(text: string, line: number): ChurnTrainingRow {
  let plain: unknown;
  try {
    plain = JSON.parse(text);
  } catch (error) {
    throw new ChurnTrainingDataError(line, '', `not JSON (${(error as Error).message})`);
  }
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) throw new ChurnTrainingDataError(line, '', 'must be a JSON object { customerId, asOf, features, churned }');
  const row = plainToInstance(ChurnTrainingRow, plain);
  const [first] = toFieldErrors(validateSync(row, { forbidUnknownValues: true }));
  if (first) throw new ChurnTrainingDataError(line, first.field, first.message);
  return row;
}

/** Every non-blank line of a JSONL file as a validated row; the first bad line throws ChurnTrainingDataError. */
export function parseChurnTrainingRows(jsonl: string): ChurnTrainingRow[] {
  const rows: ChurnTrainingRow[] = [];
  jsonl.split('\n').forEach((text, i) => {
    if (text.trim()) rows.push(parseLine(text, i + 1));
  });
  return rows;
}
