/**
 * The numbers of DOMAIN.md the profile needs, in one place (each bank sets its own; the
 * service reads them from its validated configuration).
 */
export interface ProfileRules {
  /** The bank's business day: event times are bucketed into days at this UTC offset. */
  businessUtcOffsetMinutes: number;
  /** Days of daily buckets kept before asOf (≥ 90 for the 90-day windows plus the 30-day AUM change). */
  retentionDays: number;
  /** MCC prefixes of education merchants (PARENT). */
  educationMccPrefixes: string[];
  crossBorderMinTransactions: number;
  digitalActiveMinLogins: number;
  youngProfessionalAges: [number, number];
  seniorMinAge: number;
}

export const DEFAULT_PROFILE_RULES: ProfileRules = {
  businessUtcOffsetMinutes: 8 * 60,
  retentionDays: 125,
  educationMccPrefixes: ['82'],
  crossBorderMinTransactions: 3,
  digitalActiveMinLogins: 10,
  youngProfessionalAges: [22, 30],
  seniorMinAge: 60,
};

/** The business day of an instant. */
export function dayOf(iso: string, rules: Pick<ProfileRules, 'businessUtcOffsetMinutes'>): string {
  return new Date(Date.parse(iso) + rules.businessUtcOffsetMinutes * 60_000).toISOString().slice(0, 10);
}

/** `day` moved by `delta` days. */
export function addDays(day: string, delta: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + delta);
  return d.toISOString().slice(0, 10);
}
