import { BusinessCalendar, WEEKDAYS, Weekday, WorkingInterval, calendarProblems } from './business-calendar';

/**
 * A queue's own working hours (DOMAIN.md business calendars: per queue), over the bank's
 * calendar: the weekdays it names replace the standard day's hours ([] closes that day), the
 * make-up days' hours likewise; the holidays and make-up days stay the bank's. E.g. DIGITAL
 * answering 08:00–22:00 every day: `{"DIGITAL":{"weeklyHours":{"MON":[{"opens":"08:00","closes":"22:00"}],…}}}`.
 */
export interface QueueHours {
  weeklyHours?: Partial<Record<Weekday, WorkingInterval[]>>;
  makeUpDayHours?: WorkingInterval[];
}

const FIELDS = ['weeklyHours', 'makeUpDayHours'];

/** The bank's calendar with the queue's hours in it (a new value: calendars are never mutated). */
export function withQueueHours(calendar: BusinessCalendar, hours: QueueHours | undefined): BusinessCalendar {
  if (!hours) return calendar;
  return {
    ...calendar,
    weeklyHours: { ...calendar.weeklyHours, ...hours.weeklyHours },
    ...(hours.makeUpDayHours && { makeUpDayHours: hours.makeUpDayHours }),
  };
}

/**
 * What is wrong with the queues' hours, each message naming the queue and the field: a queue
 * or field that does not exist, a weekday that is not one, and whatever the calendar they make
 * with the bank's would not hold together (times, order, a week closed every day).
 */
export function queueHoursProblems(byQueue: Record<string, QueueHours>, queues: readonly string[], calendar: BusinessCalendar): string[] {
  const problems: string[] = [];
  for (const [queue, hours] of Object.entries(byQueue)) {
    if (!queues.includes(queue)) {
      problems.push(`${queue} is not a queue (${queues.join(', ')})`);
      continue;
    }
    if (typeof hours !== 'object' || hours === null || Array.isArray(hours)) {
      problems.push(`${queue} must be an object of weeklyHours and makeUpDayHours`);
      continue;
    }
    const unknown = Object.keys(hours).filter((k) => !FIELDS.includes(k));
    if (unknown.length) problems.push(`${queue}: names no field (${FIELDS.join(', ')}): ${unknown.join(', ')}`);
    const { weeklyHours: week, makeUpDayHours } = hours as Record<string, unknown>;
    if (makeUpDayHours !== undefined && !Array.isArray(makeUpDayHours)) problems.push(`${queue}.makeUpDayHours must be a list of { opens, closes } ('HH:mm')`);
    if (week !== undefined && (typeof week !== 'object' || week === null || Array.isArray(week))) {
      problems.push(`${queue}.weeklyHours must be an object of weekdays (${WEEKDAYS.join(', ')})`);
      continue;
    }
    const days = Object.keys(week ?? {}).filter((d) => !(WEEKDAYS as readonly string[]).includes(d));
    if (days.length) problems.push(`${queue}.weeklyHours: names no weekday (${WEEKDAYS.join(', ')}): ${days.join(', ')}`);
    else if (!problems.length) problems.push(...calendarProblems(withQueueHours(calendar, hours)).map((p) => `${queue}.${p}`));
  }
  return problems;
}
