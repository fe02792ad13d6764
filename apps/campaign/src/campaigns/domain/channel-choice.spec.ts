import type { MarketingChannel } from '@meridian/events';
import { ChannelChoiceInput, chooseChannel } from './channel-choice';

const consented = (...channels: MarketingChannel[]) => ({ marketing: Object.fromEntries(channels.map((c) => [c, true])) });
const base: ChannelChoiceInput = { priority: ['app_push', 'sms', 'wechat'], consents: consented('app_push', 'sms', 'wechat') };

describe('the channel a campaign message goes on (issue 12, point 3)', () => {
  it('the first of the list the customer consented to', () => {
    expect(chooseChannel(base, 200)).toEqual({ channel: 'app_push', by: 'PRIORITY' });
    expect(chooseChannel({ ...base, consents: consented('sms', 'wechat') }, 200)).toEqual({ channel: 'sms', by: 'PRIORITY' });
  });

  it('skips a channel opted out of since, and one the customer cannot be reached on', () => {
    expect(chooseChannel({ ...base, optedOut: ['app_push'] }, 200)).toEqual({ channel: 'sms', by: 'PRIORITY' });
    expect(chooseChannel({ ...base, reachable: ['wechat'] }, 200)).toEqual({ channel: 'wechat', by: 'PRIORITY' });
  });

  it('suppresses NO_CONSENT when a channel was never consented to, OPTED_OUT when every one was refused', () => {
    expect(chooseChannel({ ...base, consents: undefined }, 200)).toEqual({ suppressed: 'NO_CONSENT' });
    expect(chooseChannel({ ...base, consents: { marketing: { app_push: false, sms: false } }, optedOut: ['wechat'] }, 200)).toEqual({ suppressed: 'OPTED_OUT' });
    expect(chooseChannel({ ...base, consents: { marketing: { app_push: false } } }, 200)).toEqual({ suppressed: 'NO_CONSENT' });
  });

  it('with 200 deliveries of history on every usable channel, the best converting one (WeChat at 3× SMS)', () => {
    const history = { app_push: { deliveries: 1_000, conversions: 10 }, sms: { deliveries: 500, conversions: 10 }, wechat: { deliveries: 300, conversions: 18 } };
    expect(chooseChannel({ ...base, history }, 200)).toEqual({ channel: 'wechat', by: 'BEST_CONVERSION' });
  });

  it('too little history on one usable channel: the list’s order stands', () => {
    const history = { app_push: { deliveries: 1_000, conversions: 10 }, sms: { deliveries: 500, conversions: 50 }, wechat: { deliveries: 199, conversions: 100 } };
    expect(chooseChannel({ ...base, history }, 200)).toEqual({ channel: 'app_push', by: 'PRIORITY' });
  });

  it('history of a channel the customer cannot use does not count, and a tie keeps the list’s order', () => {
    const history = { app_push: { deliveries: 400, conversions: 8 }, sms: { deliveries: 400, conversions: 8 }, wechat: { deliveries: 400, conversions: 400 } };
    expect(chooseChannel({ ...base, optedOut: ['wechat'], history }, 200)).toEqual({ channel: 'app_push', by: 'PRIORITY' });
  });
});
