import fc from 'fast-check';
import { PRODUCT_TYPES, ProductType, TIERS } from '@meridian/events';
import { intentOf } from './intent-signal';
import { DEFAULT_LEAD_RULES as R, leadRuleProblems } from './lead-rules';
import { LeadInputs, scoreLead } from './lead-score';

const asOf = '2026-03-01T09:00:00.000Z';
const lead = (over: Partial<LeadInputs> = {}): LeadInputs => ({ aumMinor: 0, tags: [], productsHeld: ['DEPOSIT_CURRENT'], intent: [], asOf, ...over });
const inquiry = (at: string, topic = '理财') => ({ kind: 'WEALTH_INQUIRY' as const, topic, interactionId: `I-${at}`, at });
const view = (at: string, topic = 'fund:F01') => ({ kind: 'PAGE_VIEW' as const, topic, interactionId: `V-${at}-${topic}`, at });

describe('scoreLead: a lead score, explained', () => {
  it.each<[string, Partial<LeadInputs>, number, string[]]>([
    ['nothing to go on', {}, 0, []],
    ['a DIAMOND-sized AUM', { aumMinor: 700_000_000 }, 35, ['AUM']],
    ['a GOLD-sized AUM', { aumMinor: 60_000_000 }, 25, ['AUM']],
    ['HIGH_POTENTIAL with a wealth inquiry', { tags: ['HIGH_POTENTIAL'], intent: [inquiry('2026-02-20T01:00:00.000Z')] }, 40, ['HIGH_POTENTIAL', 'WEALTH_INQUIRY']],
    ['an inquiry older than the intent window counts for nothing', { intent: [inquiry('2026-01-20T01:00:00.000Z')] }, 0, []],
    ['three views of one product page within the window', { intent: [view('2026-02-27T01:00:00.000Z'), view('2026-02-28T01:00:00.000Z'), view('2026-03-01T01:00:00.000Z')] }, 15, ['PRODUCT_PAGE_VIEWS']],
    ['three views spread over three pages are not repeated interest', { intent: [view('2026-02-27T01:00:00.000Z', 'a'), view('2026-02-28T01:00:00.000Z', 'b'), view('2026-03-01T01:00:00.000Z', 'c')] }, 0, []],
    ['a GOLD customer lacking all four of the tier’s products: capped at 15', { tier: 'GOLD', aumMinor: 60_000_000 }, 40, ['AUM', 'PRODUCT_GAP']],
    ['a GOLD customer holding the pattern but one', { tier: 'GOLD', productsHeld: ['WEALTH', 'FUND', 'DEPOSIT_TIME'] }, 5, ['PRODUCT_GAP']],
    ['everything at once is capped at 100', { aumMinor: 700_000_000, tier: 'DIAMOND', tags: ['HIGH_POTENTIAL'], intent: [inquiry('2026-02-28T01:00:00.000Z'), view('2026-02-27T01:00:00.000Z'), view('2026-02-28T01:00:00.000Z'), view('2026-03-01T01:00:00.000Z')] }, 100, ['AUM', 'HIGH_POTENTIAL', 'WEALTH_INQUIRY', 'PRODUCT_PAGE_VIEWS', 'PRODUCT_GAP']],
  ])('%s', (_, over, score, factors) => {
    const scored = scoreLead(lead(over), R);
    expect(scored.score).toBe(score);
    expect(scored.factors.map((f) => f.factor).sort()).toEqual([...factors].sort());
  });

  it('names each factor’s reason, most points first', () => {
    const scored = scoreLead(lead({ aumMinor: 60_000_000, tier: 'GOLD', productsHeld: ['WEALTH', 'FUND', 'DEPOSIT_TIME'], intent: [inquiry('2026-02-20T01:00:00.000Z', 'fund:F01')] }), R);
    expect(scored.factors).toEqual([
      { factor: 'AUM', points: 25, detail: 'AUM 600,000 CNY (≥ 500,000 CNY)' },
      { factor: 'WEALTH_INQUIRY', points: 20, detail: 'asked about fund:F01 on 2026-02-20' },
      { factor: 'PRODUCT_GAP', points: 5, detail: 'holds none of CREDIT_CARD that most GOLD customers hold' },
    ]);
  });

  it('is 0–100 and the sum of its factors (capped), for any customer', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 2_000_000_000 }),
        fc.option(fc.constantFrom(...TIERS), { nil: undefined }),
        fc.subarray(['HIGH_POTENTIAL', 'SENIOR', 'PAYROLL']),
        fc.subarray([...PRODUCT_TYPES] as ProductType[]),
        fc.array(fc.record({ kind: fc.constantFrom('WEALTH_INQUIRY' as const, 'PAGE_VIEW' as const), topic: fc.constantFrom('a', 'b'), interactionId: fc.uuid(), at: fc.integer({ min: -60, max: 5 }).map((d) => new Date(Date.parse(asOf) + d * 86_400_000).toISOString()) }), { maxLength: 12 }),
        (aumMinor, tier, tags, productsHeld, intent) => {
          const scored = scoreLead({ aumMinor, tier, tags, productsHeld, intent, asOf }, R);
          expect(scored.score).toBeGreaterThanOrEqual(0);
          expect(scored.score).toBeLessThanOrEqual(100);
          expect(scored.score).toBe(Math.min(100, scored.factors.reduce((s, f) => s + f.points, 0)));
          expect(scored.factors.every((f) => f.points > 0 && f.detail.length > 0)).toBe(true);
        },
      ),
    );
  });
});

describe('intentOf: what an interaction tells of intent', () => {
  it.each<[string, { kind: string; topic?: string; text?: string }, string | undefined]>([
    ['a wealth inquiry by its text (Chinese)', { kind: 'INQUIRY', text: '想了解一下你们的理财产品' }, 'WEALTH_INQUIRY'],
    ['a wealth inquiry by its topic (English, any case)', { kind: 'INQUIRY', topic: 'Fund subscription' }, 'WEALTH_INQUIRY'],
    ['an inquiry about a card fee is no wealth intent', { kind: 'INQUIRY', text: '年费是多少' }, undefined],
    ['a product page view', { kind: 'PAGE_VIEW', topic: 'wealth:WM-180D' }, 'PAGE_VIEW'],
    ['a page view without a page', { kind: 'PAGE_VIEW' }, undefined],
    ['a login', { kind: 'LOGIN' }, undefined],
  ])('%s', (_, interaction, kind) => {
    expect(intentOf({ interactionId: 'I1', ...interaction }, asOf, R)?.kind).toBe(kind);
  });
});

describe('leadRuleProblems', () => {
  it('accepts the defaults and names what a bank got wrong', () => {
    expect(leadRuleProblems(R, PRODUCT_TYPES)).toEqual([]);
    expect(leadRuleProblems({ ...R, ownRmAt: 30, aumBands: [{ atLeastMinor: 1, points: 5 }, { atLeastMinor: 10, points: 10 }] }, PRODUCT_TYPES)).toEqual([
      expect.stringContaining('aumBands'),
      expect.stringContaining('ownRmAt'),
    ]);
  });
});
