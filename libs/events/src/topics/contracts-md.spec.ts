import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { TOPIC_REGISTRY } from './topic-registry';

/**
 * CONTRACTS.md is the public contract and libs/events its code form (STYLE.md rule 8):
 * this spec reads the page itself, so a topic or event type named there without a class
 * here — or a topic registered here that the page does not name — fails the build
 * instead of waiting for a review to notice.
 */
const CONTRACTS_MD = resolve(__dirname, '../../../../../shared/docs/CONTRACTS.md');

/** Splits a table row on its unescaped pipes (`ACTIVE\|MERGED` stays one cell). */
function cells(row: string): string[] {
  return row
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());
}

/** Drops every parenthesised part, nested ones included: `A (x (y)); B` → `A ; B`. */
function withoutParentheses(text: string): string {
  let depth = 0;
  let kept = '';
  for (const char of text) {
    if (char === '(') depth++;
    else if (char === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0) kept += char;
  }
  return kept;
}

/** Event type names of a types cell: the CapitalisedWords outside parentheses (`PointsAwarded / PointsRedeemed` are two). */
function typeNames(cell: string): string[] {
  return withoutParentheses(cell).match(/\b[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]+)+\b/g) ?? [];
}

/** topic → type names, from every table whose first column is `topic` and that has a `types…` column (§2, §4). */
function topicTables(markdown: string): Map<string, string[]> {
  const topics = new Map<string, string[]>();
  let typesColumn = -1;
  for (const line of markdown.split('\n')) {
    if (!line.trim().startsWith('|')) {
      typesColumn = -1;
      continue;
    }
    const row = cells(line);
    if (row[0] === 'topic') typesColumn = row.findIndex((cell) => cell.startsWith('types'));
    else if (typesColumn >= 0 && !/^-+$/.test(row[0])) topics.set(row[0], typeNames(row[typesColumn] ?? ''));
  }
  return topics;
}

/** §3 names the canonical topics in prose: "the same event types" as their inbound topic (`crm.customer.v1` ← `core.customers.v1`). */
function canonicalTopics(markdown: string, inbound: Map<string, string[]>): Map<string, string[]> {
  const section = /^## 3\.[^\n]*\n([\s\S]*?)^## /m.exec(markdown)?.[1] ?? '';
  const names = [...section.matchAll(/`(crm\.([a-z]+)\.v1)`/g)];
  return new Map(names.map(([, topic, noun]) => [topic, inbound.get(`core.${noun}s.v1`) ?? []]));
}

/** Every topic the page names, with the event types it names for it. */
function contractTopics(markdown: string): Map<string, string[]> {
  const tables = topicTables(markdown);
  return new Map([...tables, ...canonicalTopics(markdown, tables)]);
}

describe('the CONTRACTS.md parser', () => {
  it.each([
    ['CustomerUpserted', ['CustomerUpserted']],
    ['ProductOpened, ProductClosed, BalanceSnapshot', ['ProductOpened', 'ProductClosed', 'BalanceSnapshot']],
    ['PointsAwarded / PointsRedeemed / PointsExpired', ['PointsAwarded', 'PointsRedeemed', 'PointsExpired']],
    ['TierChanged (from, to, reason); RfmScored (r, f, m, optional clvMinor)', ['TierChanged', 'RfmScored']],
    ['Suppressed (reason: QUIET_HOURS (postponed), NotAType); LeadAssigned (leadId)', ['LeadAssigned']],
    ['IdentityMerged (survivorId) and IdentityUnmerged — keyed by the survivor; PiiAccessed (audit)', ['IdentityMerged', 'IdentityUnmerged', 'PiiAccessed']],
  ])('%s → %j', (cell, names) => expect(typeNames(cell)).toEqual(names));

  it('reads the topic and types columns of both table shapes, and the canonical topics of §3', () => {
    const markdown = [
      '## 2. Inbound',
      '| topic | types |',
      '|---|---|',
      '| core.products.v1 | ProductOpened, ProductClosed |',
      '',
      '## 3. Canonical',
      '`crm.product.v1`: the same event types.',
      '## 4. Derived',
      '| topic | producer | types (payload essentials) |',
      '|---|---|---|',
      '| crm.profile.v1 | profile | ProfileUpdated (status ACTIVE\\|MERGED, ingest) |',
      '',
      '| service | route | purpose |',
      '| profile | POST /v1/sweeps {asOf} | SweepRequested is not an event |',
    ].join('\n');
    expect(Object.fromEntries(contractTopics(markdown))).toEqual({
      'core.products.v1': ['ProductOpened', 'ProductClosed'],
      'crm.product.v1': ['ProductOpened', 'ProductClosed'],
      'crm.profile.v1': ['ProfileUpdated'],
    });
  });
});

describe('libs/events equals CONTRACTS.md', () => {
  const contract = contractTopics(readFileSync(CONTRACTS_MD, 'utf8'));

  it('finds the topics of §2, §3 and §4', () => {
    expect(contract.size).toBeGreaterThanOrEqual(14);
    expect(contract.get('crm.campaign.v1')).toEqual(expect.arrayContaining(['PointsAwarded', 'PointsRedeemed', 'PointsExpired']));
  });

  it('has a payload class registered for every topic and event type the page names', () => {
    const missing = [...contract].flatMap(([topic, types]) =>
      types.filter((type) => typeof TOPIC_REGISTRY[topic]?.types[type]?.payload !== 'function').map((type) => `${topic} ${type}`),
    );
    expect(missing).toEqual([]);
  });

  it('registers no topic the page does not name', () => {
    expect(Object.keys(TOPIC_REGISTRY).filter((topic) => !contract.has(topic))).toEqual([]);
  });
});
