import { ValidationArguments, ValidationOptions, registerDecorator } from 'class-validator';
import { PRODUCT_TYPES } from '../enums';
import { residentIdBirthDate, residentIdProblem } from './resident-id';

/** Rule names as they appear in `errors[].rule` and dead-letter reasons. */
export const RULES = {
  residentId: 'isPrcResidentId',
  birthDateMatchesId: 'birthDateMatchesIdNumber',
  phone: 'isPhone',
  decimalAmount: 'isDecimalAmount',
  balanceAmount: 'isBalanceAmount',
  offsetDateTime: 'isOffsetDateTime',
  calendarDate: 'isCalendarDate',
  currency: 'isCurrencyCode',
  minorUnitsByProductType: 'isMinorUnitsByProductType',
} as const;

const CN_MOBILE = /^1[3-9]\d{9}$/;
const E164 = /^\+[1-9]\d{6,14}$/;
/** Decimal string > 0 with at most two decimals, no sign, no exponent, no leading zeros. */
const DECIMAL_AMOUNT = /^(0|[1-9]\d{0,17})(\.\d{1,2})?$/;
/** ISO-8601 date-time with an explicit offset (`Z` or ±hh:mm). */
const OFFSET_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):([0-5]\d)(:([0-5]\d)(\.\d{1,9})?)?(Z|[+-](0\d|1[0-4]):[0-5]\d)$/;
const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const ISO_CURRENCIES: ReadonlySet<string> = new Set(
  (Intl as unknown as { supportedValuesOf(key: string): string[] }).supportedValuesOf('currency'),
);

/**
 * The latest calendar date anywhere (UTC+14): a birth date is "in the future" only after
 * it. Against the UTC date, a baby born in Beijing before 08:00 and registered that
 * morning would be refused.
 */
export function latestToday(now: Date = new Date()): string {
  return new Date(now.getTime() + 14 * 3_600_000).toISOString().slice(0, 10);
}

export function isPhone(value: unknown): boolean {
  return typeof value === 'string' && (CN_MOBILE.test(value) || E164.test(value));
}

/** One form per number for look-ups: a CN mobile `13812345678` and `+8613812345678` are the same phone. */
export function normalisePhone(phone: string): string {
  return CN_MOBILE.test(phone) ? `+86${phone}` : phone;
}

export function isDecimalAmount(value: unknown): boolean {
  return typeof value === 'string' && DECIMAL_AMOUNT.test(value) && /[1-9]/.test(value);
}

/** A balance: the same decimal shape, and zero allowed (an empty account, a loan paid off). */
export function isBalanceAmount(value: unknown): boolean {
  return typeof value === 'string' && DECIMAL_AMOUNT.test(value);
}

export function isOffsetDateTime(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const m = OFFSET_DATE_TIME.exec(value);
  if (!m) return false;
  return isCalendarParts(Number(m[1]), Number(m[2]), Number(m[3]));
}

export function isCalendarDate(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const m = CALENDAR_DATE.exec(value);
  return !!m && isCalendarParts(Number(m[1]), Number(m[2]), Number(m[3]));
}

function isCalendarParts(y: number, mo: number, d: number): boolean {
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

export function isCurrencyCode(value: unknown): boolean {
  return typeof value === 'string' && ISO_CURRENCIES.has(value);
}

/**
 * `{ <productType>: <minor units ≥ 0> }`, e.g. ProfileUpdated `balancesByType`: a key
 * outside PRODUCT_TYPES or a fractional amount is refused by rule rather than passed on
 * as an opaque object that every consumer would have to check again.
 */
export function isMinorUnitsByProductType(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  return Object.entries(value).every(
    ([key, amount]) => (PRODUCT_TYPES as readonly string[]).includes(key) && Number.isSafeInteger(amount) && (amount as number) >= 0,
  );
}

function simpleRule(name: string, test: (value: unknown) => boolean, message: string) {
  return (options?: ValidationOptions): PropertyDecorator =>
    (target: object, propertyName: string | symbol) =>
      registerDecorator({
        name,
        target: target.constructor,
        propertyName: String(propertyName),
        options: { message: `$property ${message}`, ...options },
        validator: { validate: (value: unknown) => test(value) },
      });
}

export const IsPhone = simpleRule(RULES.phone, isPhone, 'must be a CN mobile number (1[3-9] + 9 digits) or E.164');
export const IsDecimalAmount = simpleRule(
  RULES.decimalAmount,
  isDecimalAmount,
  'must be a decimal string greater than 0 with at most 2 decimals',
);
export const IsBalanceAmount = simpleRule(RULES.balanceAmount, isBalanceAmount, 'must be a decimal string of 0 or more with at most 2 decimals');
export const IsOffsetDateTime = simpleRule(
  RULES.offsetDateTime,
  isOffsetDateTime,
  'must be an ISO-8601 date-time with an offset (e.g. 2026-03-01T09:30:00+08:00)',
);
export const IsCalendarDate = simpleRule(RULES.calendarDate, isCalendarDate, 'must be a real date YYYY-MM-DD');
export const IsCurrencyCode = simpleRule(RULES.currency, isCurrencyCode, 'must be an ISO-4217 currency code');
export const IsMinorUnitsByProductType = simpleRule(
  RULES.minorUnitsByProductType,
  isMinorUnitsByProductType,
  'must map product types to integer minor units of 0 or more',
);

interface IdentityDocument {
  idType?: unknown;
  idNumber?: unknown;
  birthDate?: unknown;
}

/** idNumber: when idType is RESIDENT_ID, 18 characters with a GB 11643 checksum and a real, past birth date. */
export function IsIdNumberForType(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: RULES.residentId,
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate(value: unknown, args: ValidationArguments) {
          const doc = args.object as IdentityDocument;
          if (doc.idType !== 'RESIDENT_ID') return typeof value === 'string' && value.length > 0;
          return typeof value === 'string' && residentIdProblem(value, latestToday()) === undefined;
        },
        defaultMessage(args: ValidationArguments) {
          const value = args.value;
          if (typeof value !== 'string') return `${args.property} must be a string`;
          const problem = residentIdProblem(value, latestToday());
          switch (problem) {
            case 'shape':
              return `${args.property} must be 17 digits followed by a digit or X (GB 11643)`;
            case 'birthDate':
              return `${args.property} must carry a real birth date that is not in the future`;
            case 'checksum':
              return `${args.property} has a wrong GB 11643 check character`;
            default:
              return `${args.property} must not be empty`;
          }
        },
      },
    });
}

/** birthDate: when a RESIDENT_ID is given, it must equal the birth date the ID carries. */
export function MatchesResidentIdBirthDate(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: RULES.birthDateMatchesId,
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: '$property must match the birth date carried in idNumber', ...options },
      validator: {
        validate(value: unknown, args: ValidationArguments) {
          const doc = args.object as IdentityDocument;
          if (doc.idType !== 'RESIDENT_ID' || typeof doc.idNumber !== 'string') return true;
          const fromId = residentIdBirthDate(doc.idNumber);
          return fromId === undefined || fromId === value;
        },
      },
    });
}
