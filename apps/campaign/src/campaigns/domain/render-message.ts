import type { ProductType } from '@meridian/events';
import { CampaignDefinition, TEMPLATE_VARIABLE } from './campaign-definition';
import type { CampaignFacts } from './campaign-facts';

const PRODUCT_NAMES: Record<'zh-CN' | 'en', Record<ProductType, string>> = {
  'zh-CN': { DEPOSIT_CURRENT: '活期存款', DEPOSIT_TIME: '定期存款', WEALTH: '理财产品', FUND: '基金', INSURANCE: '保险', CREDIT_CARD: '信用卡', MORTGAGE: '房贷', CONSUMER_LOAN: '消费贷款', BUSINESS_LOAN: '经营贷款' },
  en: { DEPOSIT_CURRENT: 'current account', DEPOSIT_TIME: 'time deposit', WEALTH: 'wealth product', FUND: 'fund', INSURANCE: 'insurance', CREDIT_CARD: 'credit card', MORTGAGE: 'mortgage', CONSUMER_LOAN: 'consumer loan', BUSINESS_LOAN: 'business loan' },
};
const GREETING = { 'zh-CN': '尊敬的客户', en: 'Dear customer' } as const;
/** The contract's ceiling for rendered content (CampaignMessageRequested.content). */
export const CONTENT_MAX = 4000;

/**
 * A template's body with its variables filled (the TEMPLATE_VARIABLES, nothing else): a
 * greeting that names no one (no PII leaves on the bus), the offer's product and value, the
 * customer's RM and branch by their codes, the campaign's last day. A variable without a
 * value renders empty; the result is cut to the contract's length.
 */
export function renderMessage(body: string, locale: 'zh-CN' | 'en', definition: CampaignDefinition, facts: CampaignFacts | undefined, timeZone: string): string {
  const offer = definition.offer;
  const values: Record<string, string> = {
    greeting: GREETING[locale],
    productName: offer ? PRODUCT_NAMES[locale][offer.productType] : '',
    offerValue: offer?.valueMinor !== undefined ? `¥${(offer.valueMinor / 100).toFixed(2)}` : '',
    rmName: facts?.rmId ?? '',
    branchName: facts?.branchId ?? '',
    expiresOn: definition.endAt ? new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(definition.endAt)) : '',
  };
  return body.replace(TEMPLATE_VARIABLE, (_, name: string) => values[name] ?? '').slice(0, CONTENT_MAX);
}
