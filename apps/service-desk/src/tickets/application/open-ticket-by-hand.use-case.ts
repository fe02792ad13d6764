import { Injectable } from '@nestjs/common';
import { Clock } from '@meridian/shared';
import { OpenTicketsUseCase, OpenedOrFound } from './open-tickets.use-case';
import { HandOpened, handTicketRequest } from './ticket-request';

/** POST /v1/tickets: opens the ticket now, or answers the one the same person's same request key opened. */
@Injectable()
export class OpenTicketByHandUseCase {
  constructor(
    private readonly open: OpenTicketsUseCase,
    private readonly clock: Clock,
  ) {}

  async execute(body: HandOpened, by: { sub: string }, correlationId?: string): Promise<OpenedOrFound> {
    const request = handTicketRequest(body, by, this.clock.now(), correlationId);
    return (await this.open.execute([request])).get(request.ticketId) as OpenedOrFound;
  }
}
