import { TICKET_CATEGORIES, TICKET_QUEUES, TicketCategory, TicketQueue } from '@meridian/events';
import shipped from '../classification/routing-table.v1.json';
import { normaliseTicketText } from './normalise-ticket-text';

/** The interaction kinds that open a ticket: exactly the ticket categories (DOMAIN.md service desk). */
export type TicketKind = TicketCategory;
export const isTicketKind = (kind: string): kind is TicketKind => (TICKET_CATEGORIES as readonly string[]).includes(kind);

/** What a kind decides when the text does not: its queue, and whether a phrase may name another category. */
export interface KindRouting {
  queue: TicketQueue;
  /** INQUIRY and SERVICE_REQUEST: the text may say it is a dispute or a complaint. The specific kinds keep theirs. */
  textRefinesCategory: boolean;
}

/**
 * One rule of the table: phrases that route to a queue and may name a category (a rule
 * with a category and no queue only categorises: 投诉 says nothing of the topic); `except`
 * phrases void a match inside them (negations: 没有盗刷).
 */
export interface RoutingRule {
  id: string;
  queue?: TicketQueue;
  category?: TicketCategory;
  phrases: string[];
  except?: string[];
}

export interface RoutingTableJson {
  version: number;
  description?: string;
  traditionalToSimplified: Record<string, string>;
  kinds: Record<TicketKind, KindRouting>;
  rules: RoutingRule[];
}

/** A phrase as matched: normalised, with its rule's place in the table, and as written (the report's topic). */
export interface CompiledPhrase {
  ruleIndex: number;
  written: string;
  normalised: string;
}

export interface RoutingTable {
  version: number;
  kinds: Record<TicketKind, KindRouting>;
  rules: readonly RoutingRule[];
  phrases: readonly CompiledPhrase[];
  /** Per rule, its `except` phrases normalised. */
  exceptions: readonly (readonly string[])[];
  traditionalToSimplified: ReadonlyMap<string, string>;
}

export class RoutingTableError extends Error {
  constructor(readonly problems: string[]) {
    super(`the routing table is refused:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const RULE_ID = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$/;

function foldMap(json: Obj): Map<string, string> {
  const raw = isObject(json.traditionalToSimplified) ? json.traditionalToSimplified : {};
  return new Map(Object.entries(raw).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

function foldProblems(json: Obj): string[] {
  if (!isObject(json.traditionalToSimplified)) return ['traditionalToSimplified must be an object of single characters { traditional: simplified }'];
  const single = (s: unknown) => typeof s === 'string' && Array.from(s).length === 1;
  const bad = Object.entries(json.traditionalToSimplified).filter(([k, v]) => !single(k) || !single(v) || k === v);
  return bad.length ? [`traditionalToSimplified maps one character to another, not: ${bad.map(([k]) => k).join(' ')}`] : [];
}

function kindProblems(json: Obj): string[] {
  if (!isObject(json.kinds)) return ['kinds must be an object naming every ticket kind'];
  const kinds = json.kinds;
  return TICKET_CATEGORIES.flatMap((kind) => {
    const k = kinds[kind];
    if (!isObject(k)) return [`kinds.${kind} is missing`];
    const problems: string[] = [];
    if (!(TICKET_QUEUES as readonly unknown[]).includes(k.queue)) problems.push(`kinds.${kind}.queue ${JSON.stringify(k.queue)} is not a queue (${TICKET_QUEUES.join(', ')})`);
    if (typeof k.textRefinesCategory !== 'boolean') problems.push(`kinds.${kind}.textRefinesCategory must be true or false`);
    return problems;
  });
}

function ruleProblems(rule: unknown, at: string, ids: Set<string>, owners: Map<string, string>, fold: ReadonlyMap<string, string>): string[] {
  if (!isObject(rule)) return [`${at} must be an object { id, queue, category?, phrases, except? }`];
  const problems: string[] = [];
  const { id, queue, category, phrases, except } = rule;
  const name = typeof id === 'string' ? id : at;
  if (typeof id !== 'string' || !RULE_ID.test(id)) problems.push(`${at}.id must be a dotted lower-case name like cards.lost, not ${JSON.stringify(id)}`);
  else if (ids.has(id)) problems.push(`${at}.id ${id} is used twice`);
  else ids.add(id);
  if (queue !== undefined && !(TICKET_QUEUES as readonly unknown[]).includes(queue)) problems.push(`${name}: queue ${JSON.stringify(queue)} is not a queue (${TICKET_QUEUES.join(', ')})`);
  if (queue === undefined && category === undefined) problems.push(`${name}: a rule needs a queue, a category or both`);
  if (category !== undefined && !(TICKET_CATEGORIES as readonly unknown[]).includes(category)) problems.push(`${name}: category ${JSON.stringify(category)} is not a category (${TICKET_CATEGORIES.join(', ')})`);
  if (!Array.isArray(phrases) || phrases.length === 0) return [...problems, `${name}: phrases must be a non-empty list`];
  const normalised: string[] = [];
  for (const phrase of phrases) {
    const n = typeof phrase === 'string' ? normaliseTicketText(phrase, fold) : '';
    if (!n) {
      problems.push(`${name}: a phrase is empty (${JSON.stringify(phrase)})`);
      continue;
    }
    const owner = owners.get(n);
    if (owner) problems.push(`${name}: phrase "${n}" is also ${owner === name ? 'earlier in this rule' : `in ${owner}`} (only the first could ever match)`);
    else owners.set(n, name);
    normalised.push(n);
  }
  if (except !== undefined) {
    if (!Array.isArray(except)) return [...problems, `${name}: except must be a list of phrases`];
    for (const e of except) {
      const n = typeof e === 'string' ? normaliseTicketText(e, fold) : '';
      if (!n) problems.push(`${name}: an except phrase is empty (${JSON.stringify(e)})`);
      else if (!normalised.some((p) => n.includes(p))) problems.push(`${name}: except "${n}" contains none of the rule's phrases, so it voids nothing`);
    }
  }
  return problems;
}

/** What is wrong with a routing table, one message a problem (empty when it can be used): unknown queues or categories, empty or repeated phrases, repeated ids, a missing kind. */
export function routingTableProblems(json: unknown): string[] {
  if (!isObject(json)) return ['the routing table must be an object { version, traditionalToSimplified, kinds, rules }'];
  const problems: string[] = [];
  if (!Number.isSafeInteger(json.version) || (json.version as number) < 1) problems.push('version must be a whole number ≥ 1');
  problems.push(...foldProblems(json), ...kindProblems(json));
  if (!Array.isArray(json.rules) || json.rules.length === 0) return [...problems, 'rules must be a non-empty list'];
  const fold = foldMap(json);
  const ids = new Set<string>();
  const owners = new Map<string, string>();
  json.rules.forEach((rule, i) => problems.push(...ruleProblems(rule, `rules[${i}]`, ids, owners, fold)));
  return problems;
}

/** The routing table, checked whole (throws RoutingTableError with every problem) and its phrases normalised once. Without an argument, the shipped v1 table. */
export function loadRoutingTable(json: unknown = shipped): RoutingTable {
  const problems = routingTableProblems(json);
  if (problems.length) throw new RoutingTableError(problems);
  const table = structuredClone(json) as RoutingTableJson;
  const fold = foldMap(table as unknown as Obj);
  return {
    version: table.version,
    kinds: table.kinds,
    rules: table.rules,
    phrases: table.rules.flatMap((rule, ruleIndex) => rule.phrases.map((written) => ({ ruleIndex, written, normalised: normaliseTicketText(written, fold) }))),
    exceptions: table.rules.map((rule) => (rule.except ?? []).map((e) => normaliseTicketText(e, fold))),
    traditionalToSimplified: fold,
  };
}
