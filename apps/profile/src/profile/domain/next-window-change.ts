import { birthDateOf, profileFigures } from './profile-features';
import { ProfileRules, addDays, dayOf } from './profile-rules';
import { ProfileState } from './profile-state';

/**
 * Days after a day bucket's day at which it can move a window of profileFigures: a
 * future-dated bucket enters them (0), it leaves the 30-day windows and enters the prior 30
 * days of the logins (30), leaves those (60), and leaves the 90-day windows (90).
 */
const BUCKET_EDGES = [0, 30, 60, 90];
/**
 * Days after a step of a product's AUM (opened, a balance, closed) at which it can move a
 * figure: AUM on the day (0), the 30-day change (30), the 90-day peak and productsClosed90d (89, 90).
 */
const PRODUCT_EDGES = [0, 30, 89, 90];
/** "A PAYROLL credit in each of the last 2 months" looks at this month and the two before. */
const PAYROLL_MONTHS_LOOKED_AT = 3;

/** The instant a business day begins. */
export function startOfBusinessDay(day: string, rules: Pick<ProfileRules, 'businessUtcOffsetMinutes'>): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - rules.businessUtcOffsetMinutes * 60_000).toISOString();
}

/** The profile's figures were it `day` (the day roll's view of time; nothing else moves). */
function figuresOn(state: ProfileState, day: string, rules: ProfileRules): string {
  return JSON.stringify(profileFigures({ ...state, asOf: startOfBusinessDay(day, rules) }, rules));
}

function monthStart(day: string, ahead: number): string {
  const d = new Date(`${day.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + ahead);
  return d.toISOString().slice(0, 10);
}

/** The next day the age changes: the birthday after `today` (1 March for 29 February in a common year, as ageOn counts). */
function nextBirthday(birthDate: string, today: string): string | undefined {
  const mmdd = birthDate.slice(5, 10);
  if (!/^\d{2}-\d{2}$/.test(mmdd)) return undefined;
  for (let year = Number(today.slice(0, 4)); ; year++) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    const day = mmdd === '02-29' && !leap ? `${year}-03-01` : `${year}-${mmdd}`;
    if (day > today) return day;
  }
}

/** Every day after `today` on which some windowed figure may change (a superset), sorted. */
function candidateDays(state: ProfileState, today: string, rules: ProfileRules): string[] {
  const days = new Set<string>();
  const after = (day: string, edges: number[]) => edges.forEach((e) => days.add(addDays(day, e)));
  for (const d of state.days) after(d.day, BUCKET_EDGES);
  for (const p of state.products) {
    for (const at of [p.opened?.openedAt, p.closed?.closedAt]) if (at) after(dayOf(at, rules), PRODUCT_EDGES);
    for (const h of p.history) after(h.day, PRODUCT_EDGES);
  }
  const payrollDays = state.days.filter((d) => d.payrollCredits > 0).map((d) => d.day);
  if (payrollDays.length) {
    const last = monthStart(payrollDays[payrollDays.length - 1], PAYROLL_MONTHS_LOOKED_AT);
    for (let k = 1; monthStart(today, k) <= last; k++) days.add(monthStart(today, k));
  }
  const birth = birthDateOf(state);
  const birthday = birth && nextBirthday(birth, today);
  if (birthday) days.add(birthday);
  return [...days].filter((d) => d > today).sort();
}

/**
 * When the profile's windowed figures next change with no new event (issue 10, point 5):
 * the start of the first business day after `asOf` whose figures differ from today's — a
 * day bucket leaving the 30/60/90-day windows, an AUM step leaving the 30-day change or
 * the 90-day peak, a closed product leaving the 90 days, the payroll months, a birthday.
 * Undefined when nothing can change by time alone. No figure changes before the instant
 * named; after `maxChecks` candidate days that change nothing the next candidate is named
 * unverified (still no later than the real change: the roll then finds nothing and asks again).
 */
export function nextWindowChange(state: ProfileState, rules: ProfileRules, maxChecks: number): string | undefined {
  if (!state.asOf) return undefined;
  const today = dayOf(state.asOf, rules);
  const now = figuresOn(state, today, rules);
  let checked = 0;
  for (const day of candidateDays(state, today, rules)) {
    if (++checked > maxChecks || figuresOn(state, day, rules) !== now) return startOfBusinessDay(day, rules);
  }
  return undefined;
}
