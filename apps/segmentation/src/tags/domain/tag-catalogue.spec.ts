import shipped from '../catalogue/tag-catalogue.v1.json';
import type { SegmentFacts } from '@meridian/events/rules';
import { sampleFacts } from '@meridian/events/testing';
import { PROFILE_TAGS, TAG_GROUPS, TagCatalogueError, loadTagCatalogue } from './tag-catalogue';

const CNY = 100;
const catalogue = loadTagCatalogue();
const holds = (code: string, facts: SegmentFacts) => catalogue.evaluate(facts).includes(code);

describe('the shipped tag catalogue', () => {
  it('loads, with at least 50 tags across all five groups', () => {
    expect(catalogue.version).toBe(1);
    expect(catalogue.tags.length).toBeGreaterThanOrEqual(50);
    expect(new Set(catalogue.tags.map((t) => t.group))).toEqual(new Set(TAG_GROUPS));
  });

  it('has an entry for every tag the profile computes, reading it from facts.tags', () => {
    for (const code of PROFILE_TAGS) expect(catalogue.tags.find((t) => t.code === code)?.rule).toEqual({ tags: code });
  });

  it.each<[string, Partial<SegmentFacts>, boolean]>([
    ['HIGH_NET_WORTH', { aumMinor: 6_000_000 * CNY }, true],
    ['HIGH_NET_WORTH', { aumMinor: 6_000_000 * CNY - 1 }, false],
    ['HIGH_POTENTIAL', { tier: 'SILVER', monthlyInflow3mMinor: 30_000 * CNY }, true],
    ['HIGH_POTENTIAL', { tier: 'MASS', monthlyInflow3mMinor: 30_000 * CNY - 1 }, false],
    ['HIGH_POTENTIAL', { tier: 'GOLD', monthlyInflow3mMinor: 90_000 * CNY }, false],
    ['HIGH_POTENTIAL', { tier: 'MASS' }, false],
    ['MASS_CUSTOMER', { tier: 'MASS' }, true],
    ['MASS_CUSTOMER', { tier: 'SILVER' }, false],
    ['YOUNG_ADULT', { age: 18 }, true],
    ['YOUNG_ADULT', { age: 30 }, true],
    ['YOUNG_ADULT', { age: 17 }, false],
    ['YOUNG_ADULT', { age: 31 }, false],
    ['YOUNG_ADULT', {}, false],
    ['SENIOR', { tags: ['SENIOR'] }, true],
    ['SENIOR', { age: 70 }, false],
    ['NEW_CUSTOMER', { lifecycleStage: 'NEW' }, true],
    ['LOW_SATISFACTION', { latestCsat: 2 }, true],
    ['LOW_SATISFACTION', { latestCsat: 3 }, false],
    ['LOW_SATISFACTION', {}, false],
    ['COMPLAINT_SENSITIVE', { complaints90d: 1 }, true],
    ['COMPLAINT_SENSITIVE', { complaints90d: 0 }, false],
    ['HIGH_RISK_TOLERANCE', { riskTolerance: 'R4' }, true],
    ['HIGH_RISK_TOLERANCE', { riskTolerance: 'R3' }, false],
    ['CONSERVATIVE', { riskTolerance: 'R2' }, true],
    ['SINGLE_PRODUCT', { productsHeld: ['DEPOSIT_CURRENT'] }, true],
    ['SINGLE_PRODUCT', { productsHeld: ['DEPOSIT_CURRENT', 'CREDIT_CARD'] }, false],
    ['MULTI_PRODUCT', { productsHeld: ['DEPOSIT_CURRENT', 'CREDIT_CARD', 'FUND'] }, true],
    ['MULTI_PRODUCT', { productsHeld: ['DEPOSIT_CURRENT', 'CREDIT_CARD'] }, false],
    ['INDEBTED', { liabilitiesMinor: 1 }, true],
    ['INDEBTED', { liabilitiesMinor: 0 }, false],
    ['REGULAR_INVESTOR', { byCategory90d: { INVESTMENT: { n: 3, cnyMinor: 300_000 } }, byCategory30d: { INVESTMENT: { n: 1, cnyMinor: 100_000 } } }, true],
    ['REGULAR_INVESTOR', { byCategory90d: { INVESTMENT: { n: 3, cnyMinor: 300_000 } } }, false],
    ['CREDIT_CARD_ACTIVE', { productsHeld: ['CREDIT_CARD'], byCategory30d: { PURCHASE: { n: 5, cnyMinor: 50_000 } } }, true],
    ['CREDIT_CARD_ACTIVE', { productsHeld: ['DEPOSIT_CURRENT'], byCategory30d: { PURCHASE: { n: 9, cnyMinor: 50_000 } } }, false],
    ['BRANCH_DEPENDENT', { byChannel90d: { COUNTER: { n: 3, cnyMinor: 1 } } }, true],
    ['BRANCH_DEPENDENT', { byChannel90d: { COUNTER: { n: 3, cnyMinor: 1 }, MOBILE: { n: 1, cnyMinor: 1 } } }, false],
    ['BRANCH_DEPENDENT', { byChannel90d: { BRANCH: { n: 5, cnyMinor: 1 } }, appLogins30d: 2 }, false],
    ['NO_MARKETING_CONSENT', {}, true],
    ['NO_MARKETING_CONSENT', { consents: { marketing: { sms: false, email: false } } }, true],
    ['NO_MARKETING_CONSENT', { consents: { marketing: { wechat: true } } }, false],
    ['RENOVATION_LOAN_PROSPECT', { tags: ['MORTGAGE_HOLDER'], productsHeld: ['MORTGAGE'] }, true],
    ['RENOVATION_LOAN_PROSPECT', { tags: ['MORTGAGE_HOLDER'], productsHeld: ['MORTGAGE', 'CONSUMER_LOAN'] }, false],
    // Assets falling, bucketed: AUM 40,000 CNY is in the band [40,000, 80,000), which needs a fall of 3/7 × 80,000 CNY.
    ['ASSETS_FALLING', { aumMinor: 40_000 * CNY, aumChange30dMinor: -Math.ceil((3 * 80_000 * CNY) / 7) }, true],
    ['ASSETS_FALLING', { aumMinor: 40_000 * CNY, aumChange30dMinor: -Math.ceil((3 * 80_000 * CNY) / 7) + 1 }, false],
    ['ASSETS_FALLING', { aumMinor: 0, aumChange30dMinor: -10_000 * CNY }, true],
    ['ASSETS_FALLING', { aumMinor: 1_000_000 * CNY, aumChange30dMinor: -100_000 * CNY }, false],
    ['ASSETS_FALLING', { aumMinor: 1_000_000 * CNY }, false],
  ])('%s on %j: %s', (code, over, expected) => {
    expect(holds(code, sampleFacts(over))).toBe(expected);
  });

  it('tags only customers whose AUM fell by 30 % or more, and every one holding 10,000 CNY or more that fell by 47 % (ASSETS_FALLING)', () => {
    for (let aumCny = 10_000; aumCny < 150_000_000; aumCny = Math.round(aumCny * 1.37 + 997)) {
      for (const fall of [0.1, 0.29, 0.3, 0.35, 0.47, 0.5, 0.9, 1]) {
        const before = Math.round((aumCny * CNY) / (1 - fall + 1e-12));
        if (fall === 1) continue;
        const change = aumCny * CNY - before;
        const tagged = holds('ASSETS_FALLING', sampleFacts({ aumMinor: aumCny * CNY, aumChange30dMinor: change }));
        if (fall < 0.3) expect({ aumCny, fall, tagged }).toEqual({ aumCny, fall, tagged: false });
        if (fall >= 0.47) expect({ aumCny, fall, tagged }).toEqual({ aumCny, fall, tagged: true });
      }
    }
  });

  it('evaluates to the codes held, sorted', () => {
    const codes = catalogue.evaluate(sampleFacts({ tier: 'DIAMOND', aumMinor: 7_000_000 * CNY, tags: ['SENIOR', 'PAYROLL'], riskTolerance: 'R5' }));
    expect(codes).toEqual([...codes].sort());
    expect(codes).toEqual(expect.arrayContaining(['DIAMOND_CUSTOMER', 'HIGH_NET_WORTH', 'HIGH_RISK_TOLERANCE', 'PAYROLL', 'SENIOR']));
    expect(codes).not.toContain('MASS_CUSTOMER');
  });
});

describe('loadTagCatalogue refuses a broken catalogue with every problem', () => {
  const entry = (over: Record<string, unknown>) => ({ code: 'GOOD_TAG', group: 'VALUE', labels: { zh: '好', en: 'Good' }, description: 'x', rule: { tier: 'GOLD' }, ...over });
  const problemsOf = (json: unknown) => {
    try {
      loadTagCatalogue(json);
    } catch (error) {
      expect(error).toBeInstanceOf(TagCatalogueError);
      return (error as TagCatalogueError).problems;
    }
    throw new Error('the catalogue was accepted');
  };

  it('lists each problem with its path and rule', () => {
    const problems = problemsOf({
      version: 2,
      tags: [
        entry({}),
        entry({ code: 'GOOD_TAG' }),
        entry({ code: 'bad code', group: 'MOOD', labels: { zh: '', en: 'x' }, description: '' }),
        entry({ code: 'SNEAKY', rule: { $or: [{ tier: 'GOLD' }, { aumMinor: { $where: 'true' } }] } }),
        entry({ code: 'READS_CATALOGUE_TAG', rule: { tags: { $in: ['PAYROLL', 'HIGH_NET_WORTH'] } } }),
        'not an entry',
      ],
    });
    expect(problems.map((p) => [p.path, p.rule])).toEqual([
      ['tags[1].code', 'isUniqueCode'],
      ['tags[2].code', 'isTagCode'],
      ['tags[2].group', 'isTagGroup'],
      ['tags[2].labels', 'hasLabels'],
      ['tags[2].description', 'hasDescription'],
      ['tags[3].rule.$or[1].aumMinor.$where', 'isAllowedOperator'],
      ['tags[4].rule', 'readsProfileTagsOnly'],
      ['tags[5]', 'isTagDefinition'],
    ]);
    expect(problems.find((p) => p.rule === 'readsProfileTagsOnly')?.message).toContain('HIGH_NET_WORTH');
  });

  it.each<[string, unknown, string]>([
    ['not an object', [], 'isCatalogue'],
    ['no version', { tags: [entry({})] }, 'isVersion'],
    ['no tags', { version: 1, tags: [] }, 'isNonEmptyArray'],
  ])('%s', (_, json, rule) => {
    expect(problemsOf(json).map((p) => p.rule)).toContain(rule);
  });

  it('says every problem in the message it throws at start', () => {
    expect(() => loadTagCatalogue({ version: 1, tags: [entry({ rule: { salary: 1 } }), entry({ code: 'X_2', group: 'NOPE' })] })).toThrow(
      /tags\[0\]\.rule\.salary: .*isKnownField[\s\S]*tags\[1\]\.group/,
    );
  });

  it('accepts the shipped file as JSON, unchanged by loading', () => {
    const before = JSON.stringify(shipped);
    loadTagCatalogue(JSON.parse(before));
    expect(JSON.stringify(shipped)).toBe(before);
  });
});
