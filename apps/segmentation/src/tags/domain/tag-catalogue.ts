import shipped from '../catalogue/tag-catalogue.v1.json';
import { DEFAULT_RULE_LIMITS, RuleLimits, RuleProblem, SegmentFacts, compileRule, ruleQueryProblems } from '@meridian/events/rules';
import { referencedTags } from './referenced-tags';

/** DOMAIN.md tag catalogue: the five groups a tag belongs to. */
export const TAG_GROUPS = ['BEHAVIOUR', 'PREFERENCE', 'VALUE', 'RISK', 'LIFECYCLE'] as const;
export type TagGroup = (typeof TAG_GROUPS)[number];

/**
 * The tags the profile computes from raw events (DOMAIN.md: tags; apps/profile's
 * profile-features.ts) and publishes in ProfileUpdated `tags`: the only tags a catalogue
 * rule may read, so no catalogue tag depends on another (or on its own evaluation order).
 */
export const PROFILE_TAGS = ['PAYROLL', 'CROSS_BORDER', 'MORTGAGE_HOLDER', 'WEALTH_PREFERENCE', 'YOUNG_PROFESSIONAL', 'SENIOR', 'DIGITAL_ACTIVE', 'PARENT'] as const;

const CODE = /^[A-Z][A-Z0-9_]{1,40}$/;

/** One catalogue entry: a named, versioned rule over the facts (ADR 0004's language). */
export interface TagDefinition {
  code: string;
  group: TagGroup;
  labels: { zh: string; en: string };
  description: string;
  rule: Record<string, unknown>;
}

export interface TagCatalogue {
  version: number;
  tags: readonly TagDefinition[];
  /** The codes of the catalogue tags the facts hold, sorted. Facts' `tags` are the profile's tags. */
  evaluate(facts: SegmentFacts): string[];
}

/** A catalogue that cannot be used, with every problem (path like `tags[3].rule.$or[1].aumMinor.$gte`). */
export class TagCatalogueError extends Error {
  constructor(readonly problems: RuleProblem[]) {
    super(`the tag catalogue is refused:\n${problems.map((p) => `  ${p.path}: ${p.message} (${p.rule})`).join('\n')}`);
  }
}

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.trim().length > 0 && v.length <= max;

function entryProblems(entry: unknown, at: string, seen: Set<string>, limits: RuleLimits): RuleProblem[] {
  if (!isObject(entry)) return [{ path: at, rule: 'isTagDefinition', message: 'must be an object { code, group, labels, description, rule }' }];
  const problems: RuleProblem[] = [];
  const refuse = (path: string, rule: string, message: string) => problems.push({ path: `${at}.${path}`, rule, message });
  const { code, group, labels, description, rule } = entry;
  if (typeof code !== 'string' || !CODE.test(code)) refuse('code', 'isTagCode', `must match ${CODE}, not ${JSON.stringify(code)?.slice(0, 60)}`);
  else if (seen.has(code)) refuse('code', 'isUniqueCode', `${code} is defined twice`);
  else seen.add(code);
  if (!(TAG_GROUPS as readonly unknown[]).includes(group)) refuse('group', 'isTagGroup', `must be one of ${TAG_GROUPS.join(', ')}`);
  if (!isObject(labels) || !isText(labels.zh, 64) || !isText(labels.en, 64)) refuse('labels', 'hasLabels', 'needs a Chinese and an English label (zh, en), each 1–64 characters');
  if (!isText(description, 500)) refuse('description', 'hasDescription', 'needs a description of 1–500 characters');
  const ruleProblems = ruleQueryProblems(rule, limits);
  problems.push(...ruleProblems.map((p) => ({ ...p, path: `${at}.${p.path}` })));
  if (ruleProblems.length === 0) {
    for (const tag of referencedTags(rule as Obj)) {
      if (!(PROFILE_TAGS as readonly string[]).includes(tag)) {
        refuse('rule', 'readsProfileTagsOnly', `reads tag ${tag}: a catalogue rule may read only the profile's tags (${PROFILE_TAGS.join(', ')}), not other catalogue tags`);
      }
    }
  }
  return problems;
}

/**
 * The tag catalogue (DOMAIN.md: 50+ dimensions), checked whole at start: every entry's
 * rule passes the rule validator, codes are unique, groups and labels are there. Throws
 * TagCatalogueError listing every problem. Without an argument, the shipped v1 catalogue.
 */
export function loadTagCatalogue(json: unknown = shipped, limits: RuleLimits = DEFAULT_RULE_LIMITS): TagCatalogue {
  if (!isObject(json)) throw new TagCatalogueError([{ path: 'catalogue', rule: 'isCatalogue', message: 'must be an object { version, tags }' }]);
  const problems: RuleProblem[] = [];
  if (!Number.isSafeInteger(json.version) || (json.version as number) < 1) problems.push({ path: 'version', rule: 'isVersion', message: 'must be a whole number ≥ 1' });
  if (!Array.isArray(json.tags) || json.tags.length === 0) problems.push({ path: 'tags', rule: 'isNonEmptyArray', message: 'must be a non-empty array of tag definitions' });
  const seen = new Set<string>();
  const entries = Array.isArray(json.tags) ? (json.tags as unknown[]) : [];
  entries.forEach((entry, i) => problems.push(...entryProblems(entry, `tags[${i}]`, seen, limits)));
  if (problems.length > 0) throw new TagCatalogueError(problems);

  const tags = entries.map((e) => structuredClone(e) as TagDefinition);
  const compiled = tags.map((t) => ({ code: t.code, matches: compileRule(t.rule, limits) }));
  return {
    version: json.version as number,
    tags,
    evaluate: (facts) => compiled.filter((t) => t.matches(facts)).map((t) => t.code).sort(),
  };
}
