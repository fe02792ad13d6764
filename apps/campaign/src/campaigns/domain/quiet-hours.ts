import { DateTime } from 'luxon';
import { CampaignRules, isQuietMinute } from './campaign-rules';

/**
 * DOMAIN.md quiet hours: no SMS or phone call 21:00–08:00 in the customer's local time — the
 * message is postponed to the window's end, never dropped. Answers when a message on `channel`
 * decided at `at` may go: `at` itself when the channel is not quiet then, else the first minute
 * after the window in the customer's zone (a wall-clock time, so a DST change moves the instant,
 * not the hour).
 */
export function sendableAt(at: string, channel: string, timeZone: string, rules: Pick<CampaignRules, 'quietChannels' | 'quietHours'>): string {
  if (!rules.quietChannels.includes(channel)) return at;
  // A batch decides at one instant, mostly in one zone: the answer is remembered for the few (instant, zone) pairs last asked.
  const key = `${at}|${timeZone}|${rules.quietHours.from}-${rules.quietHours.until}`;
  const known = recent.get(key);
  if (known !== undefined) return known;
  if (recent.size >= RECENT) recent.clear();
  const answer = windowEnd(at, timeZone, rules);
  recent.set(key, answer);
  return answer;
}

const RECENT = 64;
const recent = new Map<string, string>();

function windowEnd(at: string, timeZone: string, rules: Pick<CampaignRules, 'quietHours'>): string {
  const local = DateTime.fromISO(at, { setZone: true }).setZone(timeZone);
  if (!local.isValid) throw new Error(`sendableAt: ${at} in ${timeZone} is not an instant`);
  if (!isQuietMinute(local.hour * 60 + local.minute, rules.quietHours)) return at;
  const [h, m] = rules.quietHours.until.split(':').map(Number);
  let end = local.set({ hour: h, minute: m, second: 0, millisecond: 0 });
  if (end <= local) end = end.plus({ days: 1 });
  return end.toUTC().toISO({ suppressMilliseconds: true }) ?? at;
}
