import type { FieldError } from '@meridian/events';
import { CampaignDefinition, definitionProblems } from './campaign-definition';
import type { CampaignRules } from './campaign-rules';

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const TOP = ['name', 'objective', 'trigger', 'audience', 'channels', 'templates', 'offer', 'startAt', 'endAt', 'budgetMinor', 'unitCostMinor', 'controlShare', 'cap', 'goal', 'attributionWindowDays', 'targetConversionRate'];
const TRIGGER = ['kind', 'segmentId', 'tag', 'to', 'productType', 'category', 'minAmountMinor', 'at'];
const TEMPLATE = ['templateId', 'channel', 'locale', 'body', 'variants'];
const VARIANT = ['variantId', 'when', 'body'];
const OFFER = ['productType', 'riskLevel', 'valueMinor'];
const CAP = ['messages', 'days'];
const GOAL = ['kind', 'productType', 'category', 'minMinor'];

/** The shapes a body's fields must have before the definition's rules are read (the rules across fields are definitionProblems'). */
class Shapes {
  readonly errors: FieldError[] = [];

  fail(field: string, rule: string, message: string): false {
    if (this.errors.length < 50) this.errors.push({ field, rule, message });
    return false;
  }

  only(value: Obj, allowed: readonly string[], at: string): void {
    for (const key of Object.keys(value).filter((k) => !allowed.includes(k)).slice(0, 10)) this.fail(`${at}${key.slice(0, 64)}`, 'whitelistValidation', `property ${at}${key.slice(0, 64)} should not exist`);
  }

  object(value: unknown, field: string, allowed: readonly string[], required: boolean): value is Obj {
    if (value === undefined && !required) return false;
    if (!isObject(value)) return this.fail(field, 'isObject', `${field} must be an object`);
    this.only(value, allowed, `${field}.`);
    return true;
  }

  text(value: unknown, field: string, max: number, required = true): void {
    if (value === undefined && !required) return;
    if (typeof value !== 'string' || value.trim().length === 0 || value.length > max) this.fail(field, 'isLength', `${field} must be a string of 1 to ${max} characters, not blank`);
  }

  number(value: unknown, field: string, required = false): void {
    if (value === undefined && !required) return;
    if (typeof value !== 'number' || !Number.isFinite(value)) this.fail(field, 'isNumber', `${field} must be a number`);
  }

  strings(value: unknown, field: string, max: number): void {
    if (!Array.isArray(value) || value.length > max || value.some((v) => typeof v !== 'string')) this.fail(field, 'isArray', `${field} must be an array of at most ${max} strings`);
  }
}

/**
 * A campaign definition from a request body, or every problem with it, each naming the field,
 * the check and why: first the shapes (no unknown property, strings, numbers and objects where
 * they belong), then the rules across fields and against the bank's (definitionProblems: dates,
 * channels, templates and their variables, the audience and variant rules, the offer's risk
 * level, budget and costs, control share, caps, goal, window, target). Never throws: the body
 * is whatever a client sent.
 */
export function campaignDefinitionInput(body: unknown, rules: CampaignRules): { definition?: CampaignDefinition; errors: FieldError[] } {
  const s = new Shapes();
  if (!isObject(body)) return { errors: [{ field: 'body', rule: 'isObject', message: 'the body must be a JSON object: a campaign definition' }] };
  s.only(body, TOP, '');
  s.text(body.name, 'name', 100);
  s.text(body.objective, 'objective', 200);
  if (s.object(body.trigger, 'trigger', TRIGGER, true)) {
    s.text(body.trigger.kind, 'trigger.kind', 32);
    for (const key of ['segmentId', 'tag', 'to', 'productType', 'category', 'at']) s.text(body.trigger[key], `trigger.${key}`, 128, false);
    s.number(body.trigger.minAmountMinor, 'trigger.minAmountMinor');
  }
  if (body.audience !== undefined && !isObject(body.audience)) s.fail('audience', 'isObject', 'audience must be a rule (an object)');
  s.strings(body.channels, 'channels', 10);
  if (!Array.isArray(body.templates) || body.templates.length === 0 || body.templates.length > 50) {
    s.fail('templates', 'isArray', 'templates must be an array of 1 to 50 templates');
  } else {
    body.templates.forEach((t: unknown, i: number) => {
      const at = `templates[${i}]`;
      if (!s.object(t, at, TEMPLATE, true)) return;
      s.text(t.templateId, `${at}.templateId`, 128);
      s.text(t.channel, `${at}.channel`, 32);
      s.text(t.locale, `${at}.locale`, 16);
      s.text(t.body, `${at}.body`, 2000);
      if (t.variants === undefined) return;
      if (!Array.isArray(t.variants) || t.variants.length > 20) return void s.fail(`${at}.variants`, 'isArray', `${at}.variants must be an array of at most 20 variants`);
      t.variants.forEach((v: unknown, j: number) => {
        if (!s.object(v, `${at}.variants[${j}]`, VARIANT, true)) return;
        s.text(v.variantId, `${at}.variants[${j}].variantId`, 64);
        s.text(v.body, `${at}.variants[${j}].body`, 2000);
        if (!isObject(v.when)) s.fail(`${at}.variants[${j}].when`, 'isObject', `${at}.variants[${j}].when must be a rule (an object)`);
      });
    });
  }
  if (s.object(body.offer, 'offer', OFFER, false)) {
    s.text(body.offer.productType, 'offer.productType', 32);
    s.text(body.offer.riskLevel, 'offer.riskLevel', 8, false);
    s.number(body.offer.valueMinor, 'offer.valueMinor');
  }
  s.text(body.startAt, 'startAt', 40);
  s.text(body.endAt, 'endAt', 40, false);
  s.number(body.budgetMinor, 'budgetMinor');
  if (!isObject(body.unitCostMinor)) s.fail('unitCostMinor', 'isObject', 'unitCostMinor must be an object of each channel’s cost in minor units');
  else for (const [channel, cost] of Object.entries(body.unitCostMinor)) s.number(cost, `unitCostMinor.${channel.slice(0, 32)}`, true);
  s.number(body.controlShare, 'controlShare');
  if (s.object(body.cap, 'cap', CAP, false)) CAP.forEach((k) => s.number((body.cap as Obj)[k], `cap.${k}`, true));
  if (s.object(body.goal, 'goal', GOAL, true)) {
    s.text(body.goal.kind, 'goal.kind', 32);
    s.text(body.goal.productType, 'goal.productType', 32, false);
    s.text(body.goal.category, 'goal.category', 32, false);
    s.number(body.goal.minMinor, 'goal.minMinor');
  }
  s.number(body.attributionWindowDays, 'attributionWindowDays');
  s.number(body.targetConversionRate, 'targetConversionRate', true);
  if (s.errors.length) return { errors: s.errors };
  let definition: CampaignDefinition;
  try {
    definition = JSON.parse(JSON.stringify(body)) as CampaignDefinition;
  } catch {
    return { errors: [{ field: 'body', rule: 'isJsonValue', message: 'the definition could not be read as plain JSON (nested too deep?)' }] };
  }
  const problems = definitionProblems(definition, rules);
  return problems.length ? { errors: problems } : { definition, errors: [] };
}
