// The package's own JSON (its README publishes it as the data file): date → "English,中文,n".
// The functions of its main entry answer one date at a time; the calendar wants the lists.
import officialDays from 'chinese-days/dist/chinese-days.json';
import { BusinessCalendar, STANDARD_WEEK, STANDARD_WORKING_HOURS } from './business-calendar';
import { CalendarDays, CalendarOverrides, NO_OVERRIDES, applyCalendarOverrides } from './calendar-overrides';

const HOLIDAYS: Record<string, string> = officialDays.holidays;
const WORKDAYS: Record<string, string> = officialDays.workdays;

/**
 * China's public holidays (放假, weekend days inside a holiday included) and make-up working
 * days (调休上班) as the State Council announced them, for the years the `chinese-days`
 * package lists (it is updated when a year's arrangement is published, usually in November).
 */
export const CHINA_OFFICIAL_DAYS: CalendarDays = {
  holidays: Object.keys(HOLIDAYS).sort(),
  makeUpWorkdays: Object.keys(WORKDAYS).sort(),
};

/** The years the official lists cover: a year missing here counts only the weekly hours, so a service should warn before it starts. */
export const CHINA_OFFICIAL_YEARS: number[] = [...new Set(CHINA_OFFICIAL_DAYS.holidays.map((date) => Number(date.slice(0, 4))))].sort((a, b) => a - b);

/** The holiday a date belongs to, in Chinese (春节, 国庆节), for a holiday or its make-up day; undefined otherwise. */
export function chinaHolidayName(date: string): string | undefined {
  return (HOLIDAYS[date] ?? WORKDAYS[date])?.split(',')[1];
}

/** DOMAIN.md's default calendar: 09:00–17:30 Asia/Shanghai, Monday to Friday, minus China's holidays, plus its make-up days, with a bank's overrides. */
export function chinaBusinessCalendar(overrides: CalendarOverrides = NO_OVERRIDES): BusinessCalendar {
  return {
    timeZone: 'Asia/Shanghai',
    alwaysOpen: false,
    weeklyHours: STANDARD_WEEK,
    makeUpDayHours: STANDARD_WORKING_HOURS,
    ...applyCalendarOverrides(CHINA_OFFICIAL_DAYS, overrides),
  };
}
