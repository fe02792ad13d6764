import fc from 'fast-check';
import { SUPPRESSION_REASONS, TOPICS, validateEnvelope } from '@meridian/events';
import { sampleFacts } from '@meridian/events/testing';
import type { CampaignFacts } from '../domain/campaign-facts';
import { DEFAULT_CAMPAIGN_RULES } from '../domain/campaign-rules';
import { compileCampaign } from '../domain/compiled-campaign';
import { campaignDefinitionInput } from '../domain/definition-input';
import { messageIdFor } from '../domain/message-id';
import { planMessage } from '../domain/message-plan';
import type { TriggerEvent } from '../domain/trigger-event';
import { batchTriggerId } from './run-batch-audience.use-case';
import { decisionEvent } from './decision-event';
import type { LedgerOutcome } from './ports/decision-ledger.port';

const verdictOf = (event: ReturnType<typeof decisionEvent>) => {
  const verdict = validateEnvelope(event.topic, JSON.parse(JSON.stringify(event.envelope)));
  return verdict.ok ? 'valid' : verdict.message;
};

// What the API accepts and the consumers decode: any text a marketer may write, with the variables among it.
const variable = fc.constantFrom('{{greeting}}', '{{productName}}', '{{offerValue}}', '{{ rmName }}', '{{branchName}}', '{{expiresOn}}');
const body = fc.array(fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 300 }), variable), { minLength: 1, maxLength: 12 }).map((parts) => parts.join(''));
const id = (max: number) => fc.string({ minLength: 1, maxLength: max });
const eventId = fc.stringMatching(/^[\x21-\x7e]{1,128}$/);
const instant = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2199-12-31T00:00:00Z'), noInvalidDate: true });

describe('decision events are valid by construction (the publisher trusts them)', () => {
  it('every outcome of a definition the API accepts, for any customer and trigger, validates on crm.campaign.v1 (property)', () => {
    let checked = 0;
    fc.assert(
      fc.property(
        fc.record({ push: body, sms: body, variant: body, templateId: id(128), variantId: id(64), locale: fc.constantFrom('zh-CN', 'en'), endAt: fc.option(instant, { nil: undefined }), valueMinor: fc.option(fc.nat(), { nil: undefined }) }),
        fc.record({ customerId: id(64), rmId: fc.option(id(64), { nil: undefined }), branchId: fc.option(id(64), { nil: undefined }), age: fc.integer({ min: 18, max: 99 }) }),
        fc.oneof(eventId, fc.constant('')),
        fc.uuid(),
        instant,
        instant,
        fc.constantFrom(...SUPPRESSION_REASONS),
        (t, who, triggerId, uuid, at, until, reason) => {
          const { definition } = campaignDefinitionInput(
            {
              name: 'any',
              objective: 'ANY',
              trigger: { kind: 'SEGMENT_ENTERED', segmentId: 's' },
              channels: ['app_push', 'sms'],
              templates: [
                { templateId: t.templateId, channel: 'app_push', locale: t.locale, body: t.push, variants: [{ variantId: t.variantId, when: { age: { $gte: 50 } }, body: t.variant }] },
                { templateId: `${t.templateId.slice(0, 120)}-sms`, channel: 'sms', locale: t.locale, body: t.sms },
              ],
              offer: { productType: 'WEALTH', riskLevel: 'R2', ...(t.valueMinor !== undefined && { valueMinor: t.valueMinor }) },
              startAt: '2000-01-01T00:00:00Z',
              ...(t.endAt && { endAt: t.endAt.toISOString() }),
              unitCostMinor: { app_push: 1, sms: 5 },
              goal: { kind: 'PRODUCT_OPENED', productType: 'WEALTH' },
              targetConversionRate: 0.05,
            },
            DEFAULT_CAMPAIGN_RULES,
          );
          if (!definition) return;
          const campaignId = `cmp-${uuid}`;
          const facts = { ...sampleFacts({ riskTolerance: 'R3', consents: { marketing: { app_push: who.age % 2 === 0, sms: true } }, ...(who.rmId && { rmId: who.rmId }), ...(who.branchId && { branchId: who.branchId }) }), age: who.age, segments: [] } as unknown as CampaignFacts;
          const campaign = compileCampaign({ campaignId, version: 1, status: 'ACTIVE', definition, createdAt: '', updatedAt: '', createdBy: 'm' }, DEFAULT_CAMPAIGN_RULES);
          // What the API stored passes its checks again, as the catalogue finds it: its events are trusted.
          expect(campaign.checked).toBe(true);
          const plan = planMessage({ campaign, customerId: who.customerId, facts, now: at.toISOString() < '2000-01-02' ? '2000-01-02T00:00:00Z' : at.toISOString(), openServiceCase: false, optedOut: [] }, DEFAULT_CAMPAIGN_RULES);
          // A trigger is an event's (its id printable ASCII) or a batch run's.
          const trigger: TriggerEvent = { kind: 'SEGMENT_ENTERED', segmentId: 's', customerId: who.customerId, at: at.toISOString(), triggerId: triggerId || batchTriggerId(campaignId, at.toISOString()) };
          const base = { fresh: true, messageId: messageIdFor(campaignId, who.customerId, trigger.triggerId), at: at.toISOString() };
          const outcomes: LedgerOutcome[] = [{ ...base, kind: 'SUPPRESSED', reason }, { ...base, kind: 'POSTPONED', until: until.toISOString() }];
          if (plan.kind === 'SUPPRESSED') outcomes.push({ ...base, kind: 'SUPPRESSED', reason: plan.reason });
          if (plan.kind === 'CANDIDATE') {
            const { channel, templateId, variantId, content } = plan.candidate;
            outcomes.push({ ...base, kind: 'SENT', channel, templateId, variantId, content }, { ...base, kind: 'CONTROL', channel, templateId, variantId, content });
            checked++;
          }
          for (const o of outcomes) expect(verdictOf(decisionEvent(o, campaignId, trigger, campaign.checked))).toBe('valid');
        },
      ),
      { numRuns: 1_500 },
    );
    // The property saw messages rendered, not only suppressions.
    expect(checked).toBeGreaterThan(300);
  });

  it('trusts no event of a definition stored before a check it fails was added: the publisher validates those', () => {
    const { definition } = campaignDefinitionInput(
      { name: 'old', objective: 'ANY', trigger: { kind: 'SEGMENT_ENTERED', segmentId: 's' }, channels: ['sms'], templates: [{ templateId: 't', channel: 'sms', locale: 'en', body: 'Hi {{rmName}}' }], startAt: '2026-01-01T00:00:00Z', unitCostMinor: { sms: 5 }, goal: { kind: 'PRODUCT_OPENED', productType: 'WEALTH' }, targetConversionRate: 0.05 },
      DEFAULT_CAMPAIGN_RULES,
    );
    // As an older version stored it: a body of a variable alone (it renders empty for a customer without an RM).
    const legacy = { ...definition!, templates: [{ ...definition!.templates[0], body: '{{rmName}}' }] };
    const stored = { campaignId: 'cmp-old', version: 1, status: 'ACTIVE' as const, definition: legacy, createdAt: '', updatedAt: '', createdBy: 'm' };
    expect(compileCampaign(stored, DEFAULT_CAMPAIGN_RULES).checked).toBe(false);
    expect(compileCampaign({ ...stored, definition: definition! }, DEFAULT_CAMPAIGN_RULES).checked).toBe(true);
    expect(compileCampaign({ ...stored, definition: definition! }).checked).toBe(false);
    const trigger: TriggerEvent = { kind: 'CHURN_RISK_HIGH', customerId: 'C1', at: '2026-12-02T02:00:00Z', triggerId: 'evt-1' };
    expect(decisionEvent({ fresh: true, messageId: 'msg-1', at: '2026-12-02T02:00:00.000Z', kind: 'SENT', channel: 'sms', templateId: 't', variantId: 'default', content: '' }, 'cmp-old', trigger, false).trusted).toBe(false);
  });

  it('names each outcome as the contract does, and a trusted event is checked by its test alone', () => {
    const trigger: TriggerEvent = { kind: 'CHURN_RISK_HIGH', customerId: 'C1', at: '2026-12-02T02:00:00Z', triggerId: 'evt-1' };
    const base = { fresh: true, messageId: 'msg-1', at: '2026-12-02T02:00:00.000Z' };
    const sent = decisionEvent({ ...base, kind: 'SENT', channel: 'sms', templateId: 't', variantId: 'default', content: '您好' }, 'cmp-1', trigger, true);
    expect(sent).toMatchObject({ topic: TOPICS.campaign, trusted: true, envelope: { type: 'CampaignMessageRequested', eventId: 'msg-1.requested', causationId: 'evt-1', payload: { channel: 'sms', variant: 'TREATMENT', content: '您好' } } });
    const control = decisionEvent({ ...base, kind: 'CONTROL', channel: 'sms', templateId: 't', variantId: 'default', content: '您好' }, 'cmp-1', trigger, true);
    expect(control.envelope).toMatchObject({ type: 'CampaignMessageSuppressed', eventId: 'msg-1.suppressed.CONTROL_GROUP', payload: { reason: 'CONTROL_GROUP' } });
    const later = decisionEvent({ ...base, kind: 'POSTPONED', until: '2026-12-02T00:00:00.000Z' }, 'cmp-1', trigger, true);
    expect(later.envelope).toMatchObject({ eventId: `msg-1.postponed.${Date.parse('2026-12-02T00:00:00Z')}`, payload: { reason: 'QUIET_HOURS', postponedUntil: '2026-12-02T00:00:00.000Z' } });
    // The property above is what makes `trusted` safe: were content empty, the contract would refuse it.
    expect(verdictOf({ ...sent, envelope: { ...sent.envelope, payload: { ...(sent.envelope.payload as object), content: '' } } })).toMatch(/content/);
  });
});
