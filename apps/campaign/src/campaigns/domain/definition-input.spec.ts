import { DEFAULT_CAMPAIGN_RULES } from './campaign-rules';
import { campaignDefinitionInput } from './definition-input';

const body = (): Record<string, any> => ({
  name: 'onboarding',
  objective: 'ONBOARDING',
  trigger: { kind: 'LIFECYCLE_CHANGED', to: 'NEW' },
  channels: ['app_push'],
  templates: [{ templateId: 'welcome', channel: 'app_push', locale: 'zh-CN', body: '{{greeting}}，欢迎' }],
  startAt: '2026-12-01T00:00:00+08:00',
  unitCostMinor: { app_push: 1 },
  goal: { kind: 'PRODUCT_OPENED', productType: 'WEALTH' },
  targetConversionRate: 0.05,
});
const errorsOf = (b: unknown) => campaignDefinitionInput(b, DEFAULT_CAMPAIGN_RULES).errors.map((e) => `${e.field} ${e.rule}`);

describe('campaignDefinitionInput: a body, or every problem naming its field — never a throw', () => {
  it('takes a valid definition as it is', () => {
    const { definition, errors } = campaignDefinitionInput(body(), DEFAULT_CAMPAIGN_RULES);
    expect(errors).toEqual([]);
    expect(definition).toEqual(body());
  });

  it('names shapes first: unknown properties, strings, numbers, objects', () => {
    expect(errorsOf('x')).toEqual(['body isObject']);
    expect(errorsOf({ ...body(), budget: 5 })).toEqual(['budget whitelistValidation']);
    expect(errorsOf({ ...body(), name: '', targetConversionRate: '5 %', trigger: 'NEW' })).toEqual(['name isLength', 'trigger isObject', 'targetConversionRate isNumber']);
    expect(errorsOf({ ...body(), templates: [{ ...body().templates[0], variants: 'young' }] })).toEqual(['templates[0].variants isArray']);
    expect(errorsOf({ ...body(), unitCostMinor: { app_push: '1' } })).toEqual(['unitCostMinor.app_push isNumber']);
  });

  it('answers a rule nested beyond any limit with a problem, not a stack overflow', () => {
    let deep: Record<string, unknown> = { tier: 'GOLD' };
    for (let i = 0; i < 5000; i++) deep = { $and: [deep] };
    expect(() => campaignDefinitionInput({ ...body(), audience: deep }, DEFAULT_CAMPAIGN_RULES)).not.toThrow();
    expect(errorsOf({ ...body(), audience: deep }).length).toBeGreaterThan(0);
  });
});
