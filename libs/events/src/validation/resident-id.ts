/**
 * PRC resident identity number (GB 11643-1999): 17 digits + a check character.
 * Digits 7–14 are the birth date (YYYYMMDD); the check character is
 * (12 − Σ(digit_i × W_i) mod 11) mod 11, written as 'X' for 10.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';
const RESIDENT_ID_SHAPE = /^\d{17}[\dX]$/;

export function residentIdCheckChar(first17Digits: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17Digits[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

export function hasValidResidentIdChecksum(idNumber: string): boolean {
  if (!RESIDENT_ID_SHAPE.test(idNumber)) return false;
  return residentIdCheckChar(idNumber.slice(0, 17)) === idNumber[17];
}

/** Birth date carried in the ID as `YYYY-MM-DD`, or undefined when it is not a real calendar date. */
export function residentIdBirthDate(idNumber: string): string | undefined {
  if (idNumber.length !== 18) return undefined;
  const y = Number(idNumber.slice(6, 10));
  const m = Number(idNumber.slice(10, 12));
  const d = Number(idNumber.slice(12, 14));
  if (!isRealDate(y, m, d)) return undefined;
  return `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`;
}

export function isRealDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (year < 1900 || month < 1 || month > 12 || day < 1) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export type ResidentIdProblem = 'shape' | 'checksum' | 'birthDate';

/**
 * Why a resident ID is invalid, or undefined when it is valid. `today` (YYYY-MM-DD) is
 * explicit so that the rule stays deterministic (ARCHITECTURE.md principle 6).
 */
export function residentIdProblem(idNumber: string, today: string): ResidentIdProblem | undefined {
  if (!RESIDENT_ID_SHAPE.test(idNumber)) return 'shape';
  const birth = residentIdBirthDate(idNumber);
  if (!birth || birth > today) return 'birthDate';
  if (!hasValidResidentIdChecksum(idNumber)) return 'checksum';
  return undefined;
}
