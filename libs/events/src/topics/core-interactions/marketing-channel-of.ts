import type { InteractionChannel, MarketingChannel } from '../../enums';

const ON: Partial<Record<InteractionChannel, MarketingChannel>> = { APP: 'app_push', SMS: 'sms', EMAIL: 'email', WECHAT: 'wechat', CALL_CENTER: 'phone' };

/** The marketing channel an interaction came on (an opt-out by SMS reply: sms), or undefined for one no message goes out on (a branch, an RM visit). */
export const marketingChannelOf = (channel: InteractionChannel): MarketingChannel | undefined => ON[channel];
