import { TicketQueue } from '@meridian/events';
import { ALWAYS_OPEN_CALENDAR, BusinessCalendar } from '../../calendars/domain/business-calendar';
import { SlaClockBasis } from '../domain/ticket-priority';

/**
 * The calendar a clock counts (DOMAIN.md business calendars): around the clock for P1 (and
 * the queues the rules name), else its queue's. Built once from the configuration, so every
 * instance and every job measures a ticket's clock with the same days.
 */
export class SlaCalendars {
  constructor(private readonly queueCalendars: Readonly<Record<TicketQueue, BusinessCalendar>>) {}

  of(basis: SlaClockBasis, queue: TicketQueue): BusinessCalendar {
    return basis === 'AROUND_THE_CLOCK' ? ALWAYS_OPEN_CALENDAR : this.queueCalendars[queue];
  }
}
