import { SatisfactionRecorded, SurveyRequested, TicketAssigned, TicketClosed, TicketEscalated, TicketOpened, TicketReopened, TicketResolved, TicketStatusChanged } from '@meridian/events';

/** A crm.ticket.v1 event to publish, as data (the application wraps it in the envelope and the outbox). */
export type TicketEvent =
  | { type: 'TicketOpened'; payload: TicketOpened }
  | { type: 'TicketAssigned'; payload: TicketAssigned }
  | { type: 'TicketEscalated'; payload: TicketEscalated }
  | { type: 'TicketResolved'; payload: TicketResolved }
  | { type: 'TicketClosed'; payload: TicketClosed }
  | { type: 'TicketReopened'; payload: TicketReopened }
  | { type: 'TicketStatusChanged'; payload: TicketStatusChanged }
  | { type: 'SurveyRequested'; payload: SurveyRequested }
  | { type: 'SatisfactionRecorded'; payload: SatisfactionRecorded };
