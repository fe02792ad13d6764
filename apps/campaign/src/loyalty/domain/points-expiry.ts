/**
 * When points earned at `at` lapse: the same instant `months` calendar months later, on the
 * month's last day where the day does not exist there (earned 29 February, lapsing 28 February).
 */
export function pointsExpireAt(at: string, months: number): string {
  const earned = new Date(at);
  const target = new Date(earned.getTime());
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(earned.getUTCDate(), lastDay));
  return target.toISOString();
}
