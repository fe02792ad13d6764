/**
 * Money on the wire is a decimal string plus an ISO-4217 currency; inside Meridian it is
 * an integer number of minor units (CONTRACTS.md §1). Integer and BigInt arithmetic only:
 * no binary floating point touches an amount.
 */

const exponents = new Map<string, number>();

/** Minor-unit digits of a currency (CNY 2, JPY 0, KWD 3), from the ICU tables Node ships. */
export function currencyExponent(currency: string): number {
  let exp = exponents.get(currency);
  if (exp === undefined) {
    exp = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    exponents.set(currency, exp);
  }
  return exp;
}

export type MoneyProblem = 'tooManyDecimals' | 'tooLarge';

/** `"1234.5"` CNY → 123450. The decimal string is already known to match CONTRACTS.md's shape. */
export function toMinorUnits(amount: string, currency: string): { minor: number } | { problem: MoneyProblem } {
  const negative = amount.startsWith('-');
  const [whole, fraction = ''] = (negative ? amount.slice(1) : amount).split('.');
  const exp = currencyExponent(currency);
  if (fraction.replace(/0+$/, '').length > exp) return { problem: 'tooManyDecimals' };
  const minor = BigInt(whole) * 10n ** BigInt(exp) + BigInt((fraction + '0'.repeat(exp)).slice(0, exp) || '0');
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) return { problem: 'tooLarge' };
  return { minor: Number(negative ? -minor : minor) };
}

/** A rate as a decimal string: how many CNY one unit of the currency buys. */
export type FxTable = ReadonlyMap<string, string>;

const RATE = /^(0|[1-9]\d{0,6})(\.\d{1,10})?$/;

/** `USD=7.10,EUR=7.70` → table. Throws naming the bad entry (configuration is validated at start-up). */
export function parseFxTable(spec: string): FxTable {
  const table = new Map<string, string>();
  for (const entry of spec.split(',').map((e) => e.trim()).filter(Boolean)) {
    const m = /^([A-Z]{3})=(.+)$/.exec(entry);
    if (!m || !RATE.test(m[2]) || !/[1-9]/.test(m[2])) throw new Error(`FX rate "${entry}" must look like USD=7.1034`);
    if (m[1] === 'CNY') throw new Error('FX rate for CNY is always 1');
    table.set(m[1], m[2]);
  }
  return table;
}

/**
 * Minor units of `currency` → CNY fen at the table's rate, rounded half away from zero.
 * Undefined when the table has no rate for it.
 */
export function toCnyMinor(minor: number, currency: string, table: FxTable): number | undefined {
  if (currency === 'CNY') return minor;
  const rate = table.get(currency);
  if (!rate) return undefined;
  const [whole, fraction = ''] = rate.split('.');
  const rateScaled = BigInt(whole + fraction);
  // minor / 10^exp units × rate CNY/unit × 100 fen/CNY
  const numerator = BigInt(minor) * rateScaled * 100n;
  const denominator = 10n ** BigInt(currencyExponent(currency) + fraction.length);
  const negative = numerator < 0n;
  const abs = negative ? -numerator : numerator;
  const rounded = (abs + denominator / 2n) / denominator;
  return Number(negative ? -rounded : rounded);
}
