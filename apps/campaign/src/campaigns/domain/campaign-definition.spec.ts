import { CampaignDefinition, definitionProblems } from './campaign-definition';
import { DEFAULT_CAMPAIGN_RULES } from './campaign-rules';

/** A retention campaign for customers turning AT_RISK: a wealth offer by app push, then SMS. */
const retention = (): CampaignDefinition => ({
  name: '流失预警挽留',
  objective: 'RETENTION',
  trigger: { kind: 'LIFECYCLE_CHANGED', to: 'AT_RISK' },
  audience: { tier: { $in: ['GOLD', 'DIAMOND'] } },
  channels: ['app_push', 'sms'],
  templates: [
    { templateId: 'ret-push', channel: 'app_push', locale: 'zh-CN', body: '{{greeting}}，{{productName}} 专属收益，{{expiresOn}} 前有效', variants: [{ variantId: 'young', when: { ageBand: '18-25' }, body: '{{greeting}}～{{productName}} 了解一下' }] },
    { templateId: 'ret-sms', channel: 'sms', locale: 'zh-CN', body: '{{greeting}}，您的客户经理{{rmName}}为您准备了{{productName}}' },
  ],
  offer: { productType: 'WEALTH', riskLevel: 'R2', valueMinor: 0 },
  startAt: '2026-12-01T00:00:00+08:00',
  endAt: '2027-03-01T00:00:00+08:00',
  budgetMinor: 5_000_000,
  unitCostMinor: { app_push: 1, sms: 5 },
  controlShare: 0.1,
  goal: { kind: 'AUM_INCREASE', minMinor: 1_000_000 },
  attributionWindowDays: 14,
  targetConversionRate: 0.05,
});

const problemsOf = (change: (d: CampaignDefinition) => void) => {
  const d = retention();
  change(d);
  return definitionProblems(d, DEFAULT_CAMPAIGN_RULES);
};

describe('a campaign definition, across its fields and against the bank’s rules', () => {
  it('a retention campaign as a marketer writes it holds together', () => {
    expect(definitionProblems(retention(), DEFAULT_CAMPAIGN_RULES)).toEqual([]);
  });

  it('a scheduled batch over the base holds together, an instant already past included (it runs at once)', () => {
    expect(definitionProblems({ ...retention(), trigger: { kind: 'SCHEDULED', at: '2026-12-31T09:00:00+08:00' } }, DEFAULT_CAMPAIGN_RULES)).toEqual([]);
    expect(definitionProblems({ ...retention(), startAt: '2026-01-01T00:00:00+08:00', trigger: { kind: 'SCHEDULED', at: '2026-01-01T09:00:00+08:00' } }, DEFAULT_CAMPAIGN_RULES)).toEqual([]);
  });

  it.each<[string, (d: CampaignDefinition) => void, string, string]>([
    ['no offset on the start', (d) => (d.startAt = '2026-12-01T00:00:00'), 'startAt', 'isOffsetDateTime'],
    ['an end before the start', (d) => (d.endAt = '2026-11-01T00:00:00+08:00'), 'endAt', 'isAfterStart'],
    ['a lifecycle stage that does not exist', (d) => (d.trigger = { kind: 'LIFECYCLE_CHANGED', to: 'LAPSED' as never }), 'trigger.to', 'isLifecycleStage'],
    ['a trigger kind that does not exist', (d) => (d.trigger = { kind: 'BIRTHDAY' } as never), 'trigger.kind', 'isTriggerKind'],
    ['a scheduled batch without its instant', (d) => (d.trigger = { kind: 'SCHEDULED', at: 'tomorrow' }), 'trigger.at', 'isOffsetDateTime'],
    ['a scheduled batch before the campaign starts', (d) => (d.trigger = { kind: 'SCHEDULED', at: '2026-11-30T09:00:00+08:00' }), 'trigger.at', 'isWithinDates'],
    ['a transaction trigger with a fractional amount', (d) => (d.trigger = { kind: 'TRANSACTION', category: 'PAYROLL', minAmountMinor: 10.5 }), 'trigger.minAmountMinor', 'isMinorUnits'],
    ['no channel', (d) => (d.channels = []), 'channels', 'isChannelList'],
    ['a channel twice', (d) => (d.channels = ['sms', 'sms']), 'channels', 'isChannelList'],
    ['a channel without a template', (d) => d.channels.push('email'), 'templates', 'hasTemplateForEachChannel'],
    ['a template on a channel the campaign does not use', (d) => (d.templates[1].channel = 'wechat'), 'templates[1].channel', 'isCampaignChannel'],
    ['a locale the bank does not write', (d) => (d.templates[0].locale = 'fr' as never), 'templates[0].locale', 'isLocale'],
    ['a variable that would carry PII', (d) => (d.templates[1].body = '{{greeting}}，您的身份证号{{idNumber}}'), 'templates[1].body', 'isKnownVariable'],
    ['a variant with an unknown variable', (d) => (d.templates[0].variants![0].body = 'Hi {{phone}}'), 'templates[0].variants[0].body', 'isKnownVariable'],
    ['an audience rule on a field no fact has', (d) => (d.audience = { salary: { $gte: 1 } }), 'audience.salary', 'isKnownField'],
    ['an audience rule that runs code', (d) => (d.audience = { $where: 'true' }), 'audience.$where', 'isAllowedOperator'],
    ['a variant rule of the wrong kind', (d) => (d.templates[0].variants![0].when = { segments: 5 }), 'templates[0].variants[0].when.segments', 'isFieldKindValue'],
    ['a catalogue tag named as a segment', (d) => (d.trigger = { kind: 'SEGMENT_ENTERED', segmentId: 'tag:HIGH_CHURN_RISK' }), 'trigger.segmentId', 'isSegmentId'],
    ['a body that is only variables (they can render empty)', (d) => (d.templates[1].body = '{{rmName}} {{ branchName }}'), 'templates[1].body', 'hasText'],
    ['a cap over more than a year', (d) => (d.cap = { messages: 1, days: 9e15 }), 'cap', 'isCap'],
    ['two templates of one id', (d) => (d.templates[1].templateId = 'ret-push'), 'templates', 'isUniqueTemplateId'],
    ['an investment offer without its risk level', (d) => (d.offer = { productType: 'FUND' }), 'offer.riskLevel', 'hasRiskLevel'],
    ['a risk level beyond R5', (d) => (d.offer = { productType: 'WEALTH', riskLevel: 'R6' as never }), 'offer.riskLevel', 'isRiskLevel'],
    ['a budget but no unit cost for a channel', (d) => delete d.unitCostMinor.sms, 'unitCostMinor.sms', 'hasUnitCost'],
    ['a negative budget', (d) => (d.budgetMinor = -1), 'budgetMinor', 'isMinorUnits'],
    ['a control share above the bank’s ceiling', (d) => (d.controlShare = 0.6), 'controlShare', 'isControlShare'],
    ['a cap looser than the bank’s (1 per 30 days)', (d) => (d.cap = { messages: 1, days: 7 }), 'cap', 'isWithinBankCap'],
    ['a cap of no messages', (d) => (d.cap = { messages: 0, days: 30 }), 'cap', 'isCap'],
    ['an AUM goal of nothing', (d) => (d.goal = { kind: 'AUM_INCREASE', minMinor: 0 }), 'goal.minMinor', 'isMinorUnits'],
    ['a product goal of no product', (d) => (d.goal = { kind: 'PRODUCT_OPENED', productType: 'GOLD_BAR' as never }), 'goal.productType', 'isProductType'],
    ['an attribution window of a year and a day', (d) => (d.attributionWindowDays = 366), 'attributionWindowDays', 'isWindow'],
    ['a target conversion rate of 5 (meant 5 %)', (d) => (d.targetConversionRate = 5), 'targetConversionRate', 'isRate'],
  ])('%s: names %s and %s', (_, change, field, rule) => {
    // What follows from it may be named too (a channel list refused leaves its templates without a channel).
    expect(problemsOf(change)).toEqual(expect.arrayContaining([expect.objectContaining({ field, rule })]));
  });

  it('names only what is wrong: one broken field, one problem', () => {
    expect(problemsOf((d) => (d.targetConversionRate = 0))).toEqual([{ field: 'targetConversionRate', rule: 'isRate', message: 'targetConversionRate must be above 0 and at most 1' }]);
    expect(problemsOf((d) => (d.templates[1].channel = 'wechat')).map((p) => p.rule).sort()).toEqual(['hasTemplateForEachChannel', 'isCampaignChannel']);
  });

  it('without a budget, a channel needs no unit cost; a stricter cap than the bank’s is fine; a non-investment offer needs no risk level', () => {
    expect(
      problemsOf((d) => {
        delete d.budgetMinor;
        d.unitCostMinor = {};
        d.cap = { messages: 1, days: 60 };
        d.offer = { productType: 'CREDIT_CARD' };
      }),
    ).toEqual([]);
  });
});
