import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { FieldError } from '@meridian/events';
import { FieldValidationException, Roles } from '@meridian/shared';
import { IngestConfig } from '../../config/ingest.config';
import { IntakePipeline, IntakeResult } from '../application/intake-pipeline';
import type { DuplicateKey } from '../domain/dedup-verdicts';

export interface EventResult {
  index: number;
  status: 'accepted' | 'duplicate' | 'rejected';
  eventId?: string;
  customerId?: string;
  /** A duplicate: what matched — `eventId`, or the business key (`transactionId` / `interactionId`, with `sourceSystem`). */
  duplicateKey?: DuplicateKey;
  errors?: FieldError[];
}

export interface EventsAnswer {
  accepted: number;
  duplicate: number;
  rejected: number;
  results: EventResult[];
}

export function toEventResult(r: IntakeResult, index: number): EventResult {
  if (r.status === 'rejected') return { index, status: r.status, ...(r.eventId ? { eventId: r.eventId } : {}), errors: r.errors };
  return { index, status: r.status, eventId: r.eventId, ...(r.customerId ? { customerId: r.customerId } : {}), ...(r.status === 'duplicate' ? { duplicateKey: r.duplicateKey } : {}) };
}

@ApiTags('intake')
@ApiBearerAuth()
@Controller('v1/events')
export class EventsController {
  constructor(
    private readonly pipeline: IntakePipeline,
    private readonly config: IngestConfig,
  ) {}

  /**
   * CONTRACTS.md §2: a JSON array of core envelopes; 202 with one result per item. Bad
   * items are rejected naming field and rule; the good ones of the same request are kept.
   */
  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @Roles('SYSTEM')
  @ApiOperation({ summary: 'Ingest a batch of core banking events (at most 1,000 envelopes)' })
  @ApiBody({ schema: { type: 'array', items: { type: 'object' }, maxItems: 1000 } })
  @ApiResponse({ status: 202, description: 'One result per item: accepted, duplicate (with duplicateKey: eventId, transactionId or interactionId), or rejected with errors [{field, rule, message}]' })
  @ApiResponse({ status: 400, description: 'The body is not a JSON array' })
  @ApiResponse({ status: 413, description: 'More envelopes than the limit' })
  async ingest(@Body() body: unknown): Promise<EventsAnswer> {
    if (!Array.isArray(body)) {
      throw new FieldValidationException([{ field: 'body', rule: 'isArray', message: 'body must be a JSON array of event envelopes' }]);
    }
    const max = this.config.INGEST_MAX_EVENTS_PER_REQUEST;
    if (body.length > max) {
      throw new FieldValidationException(
        [{ field: 'body', rule: 'arrayMaxSize', message: `body holds ${body.length} envelopes; at most ${max} per request` }],
        HttpStatus.PAYLOAD_TOO_LARGE,
      );
    }
    const results = (await this.pipeline.execute(body.map((raw) => ({ raw })), { door: 'http' })).map(toEventResult);
    return {
      accepted: results.filter((r) => r.status === 'accepted').length,
      duplicate: results.filter((r) => r.status === 'duplicate').length,
      rejected: results.filter((r) => r.status === 'rejected').length,
      results,
    };
  }
}
