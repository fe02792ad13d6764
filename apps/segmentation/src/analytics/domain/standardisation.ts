/** Per column mean and standard deviation: z = (x − mean) / sd, a constant column's sd taken as 1 (its z is 0). */
export interface Standardisation {
  means: number[];
  sds: number[];
}

export function standardisationOf(rows: readonly number[][]): Standardisation {
  const width = rows[0]?.length ?? 0;
  const means = Array.from({ length: width }, (_, j) => rows.reduce((s, row) => s + row[j], 0) / rows.length);
  const sds = means.map((mean, j) => Math.sqrt(rows.reduce((s, row) => s + (row[j] - mean) ** 2, 0) / rows.length) || 1);
  return { means, sds };
}

export const standardise = (row: readonly number[], { means, sds }: Standardisation): number[] => row.map((x, j) => (x - means[j]) / sds[j]);
export const unstandardise = (z: readonly number[], { means, sds }: Standardisation): number[] => z.map((v, j) => v * sds[j] + means[j]);
