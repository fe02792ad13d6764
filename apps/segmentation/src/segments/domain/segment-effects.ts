import type { CustomerSegmentState } from './segment-state';

/**
 * What a state change does to the aggregates kept as events arrive (issue 10: analytics and
 * segment sizes are counters, membership listing pages by key): counter increments and the
 * memberships to add to or remove from each segment's index. Applied once per `key`.
 */
export interface SegmentEffects {
  /** `<customerId>:<rev>`: the write that decided them. */
  key: string;
  counters: Record<string, number>;
  joined: string[];
  left: string[];
}

const NO_BRANCH = '-';

/** The counters one customer adds to the totals: by tier, stage and branch, value by branch, products held by tier, segment sizes. */
export function countersOf(state: CustomerSegmentState): Record<string, number> {
  const branch = state.features.branchId ?? NO_BRANCH;
  const { tier, lifecycleStage: stage, clvMinor } = state.facts;
  const aum = state.features.aumMinor;
  const out: Record<string, number> = {
    [`n|tier|${tier}|${branch}`]: 1,
    [`aum|tier|${tier}|${branch}`]: aum,
    [`n|stage|${stage}|${branch}`]: 1,
    [`aum|stage|${stage}|${branch}`]: aum,
    [`n|branch|${branch}`]: 1,
    [`aum|branch|${branch}`]: aum,
    [`clv|branch|${branch}`]: clvMinor ?? 0,
  };
  for (const product of new Set(state.features.productsHeld)) out[`hold|${tier}|${product}`] = 1;
  for (const id of state.memberships) out[`size|${id}`] = 1;
  return out;
}

/** The increments that take the totals from counting `before` to counting `after` (either may be absent); zeros left out. */
export function counterDeltas(before: CustomerSegmentState | undefined, after: CustomerSegmentState | undefined): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const [k, v] of Object.entries(after ? countersOf(after) : {})) delta[k] = (delta[k] ?? 0) + v;
  for (const [k, v] of Object.entries(before ? countersOf(before) : {})) delta[k] = (delta[k] ?? 0) - v;
  return Object.fromEntries(Object.entries(delta).filter(([, v]) => v !== 0));
}

/** The effects of one write, from the state before to the state after. */
export function segmentEffects(key: string, before: CustomerSegmentState | undefined, after: CustomerSegmentState | undefined): SegmentEffects {
  const was = new Set(before?.memberships ?? []);
  const now = new Set(after?.memberships ?? []);
  return { key, counters: counterDeltas(before, after), joined: [...now].filter((id) => !was.has(id)), left: [...was].filter((id) => !now.has(id)) };
}
