import type { ChurnRiskBand } from '@meridian/events';
import { daysSince } from './elapsed-days';
import { parseNamedNumbers } from './named-numbers';
import { DEFAULT_SEGMENTATION_RULES } from './segmentation-rules';

/** What the churn model reads of the profile's feature snapshot (crm.profile.v1 ProfileUpdated). */
export interface ChurnInput {
  /** The last activity of any kind (transaction or interaction); none → inactive since ever (capped). */
  lastActivityAt?: string;
  txnCount30d: number;
  txnCountPrior60d?: number;
  aumMinor: number;
  aumChange30dMinor?: number;
  productsClosed90d?: number;
  complaints90d?: number;
  /** 1–5. */
  latestCsat?: number;
  appLogins30d?: number;
  appLoginsPrior30d?: number;
}

export type ChurnFactorName = 'inactivity' | 'transactionDecline' | 'aumDrop' | 'productsClosed' | 'complaints' | 'lowSatisfaction' | 'appLoginDecline';

/**
 * A logistic model (DOMAIN.md: churn risk): score = σ(intercept + Σ weight × signal), each
 * signal scaled so that 1 is "clearly worrying". The defaults below are documented starting
 * weights, not fitted ones: a bank refits them from labelled history.
 */
export interface ChurnModel {
  intercept: number;
  weights: Record<ChurnFactorName, number>;
  /** Band lower bounds: MEDIUM from, HIGH from. */
  bands: { medium: number; high: number };
}

export const DEFAULT_CHURN_MODEL: ChurnModel = {
  // An engaged customer (every signal 0) scores σ(-3) ≈ 0.05.
  intercept: -3,
  weights: {
    // 1 per 90 days without activity (capped at 4): 90 days alone ≈ 0.27, 180 days ≈ 0.73.
    inactivity: 2,
    // Share by which the last 30 days' transactions fell below the 60 before (per 30 days).
    transactionDecline: 1.2,
    // Share of AUM lost over 30 days.
    aumDrop: 2,
    // Per product closed in 90 days (capped at 3).
    productsClosed: 0.8,
    // Per complaint in 90 days (capped at 3).
    complaints: 0.7,
    // (5 − latest CSAT) / 4: 0 for a 5, 1 for a 1.
    lowSatisfaction: 1.5,
    // Share by which app logins fell from the 30 days before.
    appLoginDecline: 0.8,
  },
  bands: DEFAULT_SEGMENTATION_RULES.churnBands,
};

export interface ChurnAssessment {
  score: number;
  band: ChurnRiskBand;
  /** The three largest contributions to the score's logit, largest first (only those above 0). */
  topFactors: Array<{ factor: ChurnFactorName; contribution: number }>;
}

const decline = (now: number | undefined, before: number | undefined): number => (before && before > 0 ? Math.max(0, Math.min(1, (before - (now ?? 0)) / before)) : 0);

/** Each signal in [0, its cap], 0 meaning "nothing worrying". */
export function churnSignals(input: ChurnInput, asOf: string): Record<ChurnFactorName, number> {
  const inactiveDays = input.lastActivityAt ? daysSince(input.lastActivityAt, asOf) : 360;
  const change = input.aumChange30dMinor ?? 0;
  const before = input.aumMinor - change;
  return {
    inactivity: Math.min(inactiveDays, 360) / 90,
    transactionDecline: decline(input.txnCount30d, input.txnCountPrior60d === undefined ? undefined : input.txnCountPrior60d / 2),
    aumDrop: change < 0 && before > 0 ? Math.min(1, -change / before) : 0,
    productsClosed: Math.min(input.productsClosed90d ?? 0, 3),
    complaints: Math.min(input.complaints90d ?? 0, 3),
    lowSatisfaction: input.latestCsat ? (5 - input.latestCsat) / 4 : 0,
    appLoginDecline: decline(input.appLogins30d, input.appLoginsPrior30d),
  };
}

export function churnBand(score: number, model: ChurnModel): ChurnRiskBand {
  return score >= model.bands.high ? 'HIGH' : score >= model.bands.medium ? 'MEDIUM' : 'LOW';
}

export function assessChurn(input: ChurnInput, asOf: string, model: ChurnModel = DEFAULT_CHURN_MODEL): ChurnAssessment {
  const signals = churnSignals(input, asOf);
  const contributions = (Object.keys(signals) as ChurnFactorName[]).map((factor) => ({ factor, contribution: Math.round(model.weights[factor] * signals[factor] * 1000) / 1000 }));
  const logit = model.intercept + contributions.reduce((s, c) => s + c.contribution, 0);
  const score = Math.round((1 / (1 + Math.exp(-logit))) * 10_000) / 10_000;
  const topFactors = contributions.filter((c) => c.contribution > 0).sort((a, b) => b.contribution - a.contribution || a.factor.localeCompare(b.factor)).slice(0, 3);
  return { score, band: churnBand(score, model), topFactors };
}

/** Every factor of the model, in the order of DEFAULT_CHURN_MODEL.weights (training reads signals in this order). */
export const CHURN_FACTORS = Object.keys(DEFAULT_CHURN_MODEL.weights) as ChurnFactorName[];

/** A bank's weights as `factor=weight,…` (any subset; the rest keep their defaults); throws naming what is wrong. */
export function parseChurnWeights(text: string): Record<ChurnFactorName, number> {
  return parseNamedNumbers(text, DEFAULT_CHURN_MODEL.weights, { name: 'churn factor', value: 'weight' });
}
