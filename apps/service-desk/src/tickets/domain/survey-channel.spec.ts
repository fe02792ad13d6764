import fc from 'fast-check';
import { MARKETING_CHANNELS, MarketingChannel } from '@meridian/events';
import { DEFAULT_SERVICE_DESK_RULES as RULES } from './service-desk-rules';
import { SurveyChannelDecision, SurveyChannelInput, surveyChannel } from './survey-channel';

const ORDER = RULES.surveyChannelOrder; // app_push, sms, wechat, email, phone

describe('the survey channel (DOMAIN.md: the preferred consented channel, once per ticket, never past an opt-out)', () => {
  it.each<[string, Omit<SurveyChannelInput, 'alreadyRequested'> & { alreadyRequested?: boolean }, SurveyChannelDecision]>([
    ['the first consented channel of the order', { consents: { marketing: { sms: true, email: true } } }, { send: true, channel: 'sms' }],
    ['the customer\'s preference first', { consents: { marketing: { sms: true, email: true } }, preferred: 'email' }, { send: true, channel: 'email' }],
    ['a preference without consent is passed over', { consents: { marketing: { sms: true, email: false } }, preferred: 'email' }, { send: true, channel: 'sms' }],
    ['a later opt-out beats the consent', { consents: { marketing: { app_push: true, sms: true } }, optedOut: ['app_push'] }, { send: true, channel: 'sms' }],
    ['the last of the order, when only it is consented', { consents: { marketing: { phone: true } } }, { send: true, channel: 'phone' }],
    ['once per ticket', { consents: { marketing: { sms: true } }, alreadyRequested: true }, { send: false, reason: 'ALREADY_REQUESTED' }],
    ['no consents at all: no consent', {}, { send: false, reason: 'NO_CONSENT' }],
    ['consents without marketing: no consent', { consents: { profiling: true } }, { send: false, reason: 'NO_CONSENT' }],
    ['some refused, some never asked: no consent', { consents: { marketing: { sms: false } } }, { send: false, reason: 'NO_CONSENT' }],
    ['every channel refused: opted out', { consents: { marketing: { sms: false, email: false, app_push: false, wechat: false, phone: false } } }, { send: false, reason: 'OPTED_OUT' }],
    ['refused or opted out since, everywhere: opted out', { consents: { marketing: { sms: true, email: false, app_push: false, wechat: false, phone: false } }, optedOut: ['sms'] }, { send: false, reason: 'OPTED_OUT' }],
  ])('%s', (_, input, expected) => {
    expect(surveyChannel({ alreadyRequested: false, ...input }, ORDER)).toEqual(expected);
  });

  it('a consented channel outside the bank\'s order is not used', () => {
    expect(surveyChannel({ consents: { marketing: { phone: true } }, alreadyRequested: false }, ['sms', 'email'])).toEqual({ send: false, reason: 'NO_CONSENT' });
  });

  it('never chooses a channel without consent or opted out of, and finds one whenever one is usable', () => {
    const consent = fc.constantFrom(true, false, undefined);
    const marketing = fc.record(Object.fromEntries(MARKETING_CHANNELS.map((c) => [c, consent])) as Record<MarketingChannel, fc.Arbitrary<boolean | undefined>>);
    fc.assert(
      fc.property(marketing, fc.subarray([...MARKETING_CHANNELS]), fc.option(fc.constantFrom(...MARKETING_CHANNELS), { nil: undefined }), (m, optedOut, preferred) => {
        const decision = surveyChannel({ consents: { marketing: m }, optedOut, preferred, alreadyRequested: false }, ORDER);
        const usable = MARKETING_CHANNELS.filter((c) => m[c] === true && !optedOut.includes(c));
        expect(decision.send).toBe(usable.length > 0);
        if (decision.send) {
          expect(usable).toContain(decision.channel);
          if (preferred && usable.includes(preferred)) expect(decision.channel).toBe(preferred);
        }
      }),
    );
  });
});
