import { TicketCategory, TicketQueue } from '@meridian/events';
import { normaliseTicketText } from './normalise-ticket-text';
import { CompiledPhrase, RoutingTable, TicketKind } from './routing-table';

/** The rule and phrase that decided: the complaint report's "topic" (DOMAIN.md: service feedback). */
export interface MatchedRule {
  ruleId: string;
  /** As written in the table. */
  phrase: string;
}

export interface TicketClassification {
  category: TicketCategory;
  queue: TicketQueue;
  /** The phrase that chose the queue; absent when none did and the kind's queue applies (GENERAL for the unclassifiable). */
  topic?: MatchedRule;
  /** The phrase that re-categorised an INQUIRY or SERVICE_REQUEST (e.g. 盗刷 → DISPUTE); absent when the kind's category stands. */
  categorisedBy?: MatchedRule;
  tableVersion: number;
}

const WORD = /[a-z0-9]/;

/** English phrases match whole words (so "app" is not in "happy", nor "fund" in "refund"); Chinese ones anywhere. */
function onWordBoundaries(text: string, at: number, phrase: string): boolean {
  const before = text[at - 1];
  const after = text[at + phrase.length];
  const startsWord = WORD.test(phrase[0]) && before !== undefined && WORD.test(before);
  const endsWord = WORD.test(phrase[phrase.length - 1]) && after !== undefined && WORD.test(after);
  return !startsWord && !endsWord;
}

function spans(text: string, phrase: string): number[] {
  const found: number[] = [];
  for (let at = text.indexOf(phrase); at >= 0; at = text.indexOf(phrase, at + 1)) found.push(at);
  return found;
}

/** A match inside one of its rule's `except` phrases (没有盗刷) does not count. */
function matches(text: string, phrase: CompiledPhrase, exceptions: readonly string[]): boolean {
  const voided = exceptions.flatMap((e) => spans(text, e).map((from) => [from, from + e.length] as const));
  return spans(text, phrase.normalised).some((at) => onWordBoundaries(text, at, phrase.normalised) && !voided.some(([from, to]) => from <= at && at + phrase.normalised.length <= to));
}

/** The longest phrase (in characters, normalised), then the earlier rule, then the earlier phrase. */
function best(hits: readonly CompiledPhrase[]): CompiledPhrase | undefined {
  return hits.reduce<CompiledPhrase | undefined>((a, b) => (!a || [...b.normalised].length > [...a.normalised].length ? b : a), undefined);
}

/**
 * DOMAIN.md service desk: a ticket's category and queue from the interaction kind and its
 * free text (Chinese or English), by the versioned routing table (configuration, not
 * code; ADR 0010).
 * - Category: the kind's; an INQUIRY or SERVICE_REQUEST (textRefinesCategory) takes the
 *   category of the best matching phrase that names one (盗刷 → DISPUTE, 投诉 → COMPLAINT).
 * - Queue and topic: among matching phrases of rules with a queue, one whose rule names the
 *   ticket's category first (挂失 over 银行卡 on a card loss), then the longest, then table
 *   order; with none, the kind's queue (GENERAL for the unclassifiable).
 */
export function classifyTicket(kind: TicketKind, text: string | undefined, table: RoutingTable): TicketClassification {
  const normalised = normaliseTicketText(text ?? '', table.traditionalToSimplified);
  const hits = normalised ? table.phrases.filter((p) => matches(normalised, p, table.exceptions[p.ruleIndex])) : [];
  const ruleOf = (p: CompiledPhrase) => table.rules[p.ruleIndex];
  const matched = (p: CompiledPhrase): MatchedRule => ({ ruleId: ruleOf(p).id, phrase: p.written });
  const routing = table.kinds[kind];
  const categoryHit = routing.textRefinesCategory ? best(hits.filter((p) => ruleOf(p).category !== undefined)) : undefined;
  const category = categoryHit ? (ruleOf(categoryHit).category as TicketCategory) : kind;
  const routed = hits.filter((p) => ruleOf(p).queue !== undefined);
  const queueHit = best(routed.filter((p) => ruleOf(p).category === category)) ?? best(routed);
  return {
    category,
    queue: queueHit ? (ruleOf(queueHit).queue as TicketQueue) : routing.queue,
    ...(queueHit && { topic: matched(queueHit) }),
    ...(categoryHit && category !== kind && { categorisedBy: matched(categoryHit) }),
    tableVersion: table.version,
  };
}
