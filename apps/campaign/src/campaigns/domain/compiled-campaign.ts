import { DEFAULT_RULE_LIMITS, compileRule } from '@meridian/events/rules';
import { CAMPAIGN_FACT_FIELDS, CampaignFacts } from './campaign-facts';
import type { CampaignTemplate } from './campaign-definition';
import type { CampaignRules } from './campaign-rules';
import { campaignDefinitionInput } from './definition-input';
import type { StoredCampaign } from './stored-campaign';

/** A template's copy chosen for a customer: the variant whose rule held first, else the template's own body. */
export interface ChosenCopy {
  template: CampaignTemplate;
  /** `default` when no variant's rule held (the stats compare variants by this). */
  variantId: string;
  body: string;
}

/** A campaign ready to decide: its rules compiled once (ADR 0004, mingo), not per trigger. */
export interface CompiledCampaign {
  stored: StoredCampaign;
  inAudience(facts: CampaignFacts): boolean;
  /** The copy for one of the campaign's channels: its first template (the definition's order) and the variant that suits the customer. */
  copyFor(channel: string, facts: CampaignFacts): ChosenCopy;
  /**
   * The definition passes the checks the API makes today (one stored before a check was added
   * may not): what its decisions publish is valid by construction (decision-event.spec), and trusted.
   */
  checked: boolean;
}

export const DEFAULT_VARIANT = 'default';

/** Compiles a stored campaign's audience and variant rules; a definition was validated when it was stored (a template for every channel), and is checked again against `rules` when given. */
export function compileCampaign(stored: StoredCampaign, rules?: CampaignRules): CompiledCampaign {
  const rule = (r: unknown) => compileRule<CampaignFacts>(r, DEFAULT_RULE_LIMITS, CAMPAIGN_FACT_FIELDS);
  const audience = stored.definition.audience ? rule(stored.definition.audience) : () => true;
  const templates = stored.definition.templates.map((template) => ({ template, variants: (template.variants ?? []).map((v) => ({ ...v, holds: rule(v.when) })) }));
  return {
    stored,
    checked: rules !== undefined && campaignDefinitionInput(JSON.parse(JSON.stringify(stored.definition)), rules).errors.length === 0,
    inAudience: audience,
    copyFor(channel, facts) {
      const found = templates.find((t) => t.template.channel === channel);
      if (!found) throw new Error(`campaign ${stored.campaignId} has no template for ${channel}: its definition was not validated`);
      const variant = found.variants.find((v) => v.holds(facts));
      return { template: found.template, variantId: variant?.variantId ?? DEFAULT_VARIANT, body: variant?.body ?? found.template.body };
    },
  };
}
