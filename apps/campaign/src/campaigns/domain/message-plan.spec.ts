import { sampleFacts } from '@meridian/events/testing';
import { CampaignDefinition } from './campaign-definition';
import { CampaignFacts } from './campaign-facts';
import { DEFAULT_CAMPAIGN_RULES } from './campaign-rules';
import { compileCampaign } from './compiled-campaign';
import { MessagePlanInput, planMessage } from './message-plan';
import { StoredCampaign } from './stored-campaign';

const definition = (): CampaignDefinition => ({
  name: 'retention',
  objective: 'RETENTION',
  trigger: { kind: 'LIFECYCLE_CHANGED', to: 'AT_RISK' },
  audience: { tier: { $in: ['GOLD', 'DIAMOND'] } },
  channels: ['app_push', 'sms'],
  templates: [
    { templateId: 'push', channel: 'app_push', locale: 'zh-CN', body: '{{greeting}}，{{productName}}', variants: [{ variantId: 'young', when: { ageBand: '18-25' }, body: '{{greeting}}～{{productName}} 了解一下' }] },
    { templateId: 'sms', channel: 'sms', locale: 'en', body: '{{greeting}}, your RM {{rmName}} has a {{productName}} until {{expiresOn}}' },
  ],
  offer: { productType: 'WEALTH', riskLevel: 'R2' },
  startAt: '2026-12-01T00:00:00+08:00',
  endAt: '2027-03-01T00:00:00+08:00',
  unitCostMinor: { app_push: 1, sms: 5 },
  controlShare: 0,
  goal: { kind: 'AUM_INCREASE', minMinor: 1_000_000 },
  targetConversionRate: 0.05,
});
const stored = (d = definition(), status: StoredCampaign['status'] = 'ACTIVE'): StoredCampaign => ({ campaignId: 'cmp-1', version: 1, status, definition: d, createdAt: '', updatedAt: '', createdBy: 'm' });
const facts = (over: Partial<CampaignFacts> = {}): CampaignFacts => ({ ...sampleFacts({ tier: 'GOLD', riskTolerance: 'R3', rmId: 'RM007', consents: { marketing: { app_push: true, sms: true } } }), segments: [], ...over }) as CampaignFacts;
const input = (over: Partial<MessagePlanInput> = {}): MessagePlanInput => ({ campaign: compileCampaign(stored()), customerId: 'C1', facts: facts(), now: '2026-12-02T10:00:00+08:00', openServiceCase: false, optedOut: [], ...over });
const plan = (over: Partial<MessagePlanInput> = {}) => planMessage(input(over), DEFAULT_CAMPAIGN_RULES);
const reason = (over: Partial<MessagePlanInput> = {}) => {
  const p = plan(over);
  return p.kind === 'SUPPRESSED' ? p.reason : p.kind;
};

describe('planMessage: DOMAIN.md eligibility, in order, up to what Redis settles', () => {
  it('a campaign that is not ACTIVE or outside its dates decides nothing', () => {
    expect(reason({ campaign: compileCampaign(stored(definition(), 'PAUSED')) })).toBe('IDLE');
    expect(reason({ now: '2026-11-30T23:59:59+08:00' })).toBe('IDLE');
    expect(reason({ now: '2027-03-01T00:00:00+08:00' })).toBe('IDLE');
  });

  it('suppresses in the order audience, suitability, consent, opt-out, open case', () => {
    const everything = { facts: facts({ tier: 'MASS', riskTolerance: 'R1', consents: { marketing: { app_push: false, sms: false } } }), openServiceCase: true };
    expect(reason(everything)).toBe('NOT_IN_AUDIENCE');
    expect(reason({ ...everything, facts: { ...everything.facts, tier: 'GOLD' } })).toBe('UNSUITABLE');
    expect(reason({ ...everything, facts: { ...everything.facts, tier: 'GOLD', riskTolerance: 'R2' } })).toBe('OPTED_OUT');
    expect(reason({ ...everything, facts: { ...everything.facts, tier: 'GOLD', riskTolerance: 'R2', consents: { marketing: {} } } })).toBe('NO_CONSENT');
    expect(reason({ openServiceCase: true })).toBe('OPEN_SERVICE_CASE');
    expect(reason({ optedOut: ['app_push', 'sms'] })).toBe('OPTED_OUT');
  });

  it('with no facts announced: out of an audience rule, else no consent is known', () => {
    expect(reason({ facts: undefined })).toBe('NOT_IN_AUDIENCE');
    const open = definition();
    delete open.audience;
    delete open.offer;
    expect(reason({ facts: undefined, campaign: compileCampaign(stored(open)) })).toBe('NO_CONSENT');
  });

  it('a candidate on the first usable channel, with the variant whose rule holds, rendered, costed', () => {
    const p = plan({ facts: facts({ ageBand: '18-25' }) });
    expect(p).toEqual({ kind: 'CANDIDATE', candidate: { channel: 'app_push', templateId: 'push', variantId: 'young', content: '尊敬的客户～理财产品 了解一下', costMinor: 1, control: false, campaignCap: { messages: 1, days: 30 } } });
    const sms = plan({ optedOut: ['app_push'] });
    expect(sms.kind === 'CANDIDATE' && sms.candidate).toMatchObject({ channel: 'sms', variantId: 'default', content: 'Dear customer, your RM RM007 has a wealth product until 2027-03-01', costMinor: 5 });
  });

  it('in quiet hours an SMS is postponed to the window’s end in the customer’s zone; an app push is not', () => {
    const night = plan({ now: '2026-12-02T22:30:00+08:00', optedOut: ['app_push'] });
    expect(night.kind === 'CANDIDATE' && night.candidate.postponeUntil).toBe('2026-12-03T00:00:00Z');
    const push = plan({ now: '2026-12-02T22:30:00+08:00' });
    expect(push.kind === 'CANDIDATE' && push.candidate.postponeUntil).toBeUndefined();
  });

  it('holds out the control share by the stable hash, the same customer every time', () => {
    const half = definition();
    half.controlShare = 0.5;
    const arms = Array.from({ length: 2000 }, (_, i) => plan({ campaign: compileCampaign(stored(half)), customerId: `C${i}` })).map((p) => p.kind === 'CANDIDATE' && p.candidate.control);
    const share = arms.filter(Boolean).length / arms.length;
    expect(share).toBeGreaterThan(0.46);
    expect(share).toBeLessThan(0.54);
    const again = Array.from({ length: 2000 }, (_, i) => plan({ campaign: compileCampaign(stored(half)), customerId: `C${i}` })).map((p) => p.kind === 'CANDIDATE' && p.candidate.control);
    expect(again).toEqual(arms);
  });
  it('phone is a call by the customer’s RM: passed over for a customer with no RM', () => {
    const d: CampaignDefinition = { ...definition(), channels: ['phone', 'sms'], templates: [{ templateId: 'call', channel: 'phone', locale: 'zh-CN', body: '致电介绍{{productName}}' }, definition().templates[1]], unitCostMinor: { phone: 50, sms: 5 } };
    const consents = { marketing: { phone: true, sms: true } };
    const channelOf = (rmId?: string) => {
      const p = plan({ campaign: compileCampaign(stored(d)), facts: facts({ consents, rmId }) });
      return p.kind === 'CANDIDATE' ? p.candidate.channel : p.kind;
    };
    expect(channelOf('RM007')).toBe('phone');
    expect(channelOf(undefined)).toBe('sms');
  });
});
