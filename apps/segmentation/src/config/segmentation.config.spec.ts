import { ConfigValidationError, loadConfig, randomKeyBase64 } from '@meridian/shared';
import { churnEnvLines } from '../churn-training/domain/churn-env-lines';
import { DEFAULT_RULE_LIMITS } from '@meridian/events/rules';
import { DEFAULT_CHURN_MODEL } from '../segments/domain/churn-risk';
import { DEFAULT_SEGMENTATION_RULES } from '../segments/domain/segmentation-rules';
import { SegmentationConfig } from './segmentation.config';

const base = { JWT_SECRET: 'test-secret-test-secret-test-secret-42', MONGODB_URI: 'mongodb://x', KAFKA_BROKERS: 'x:1', REDIS_URL: 'redis://x', FIELD_ENCRYPTION_MASTER_KEY: randomKeyBase64(), BLIND_INDEX_KEY: randomKeyBase64() };

describe('segmentation configuration', () => {
  it('defaults to DOMAIN.md', () => {
    expect(loadConfig(SegmentationConfig, base).rules).toEqual(DEFAULT_SEGMENTATION_RULES);
    expect(loadConfig(SegmentationConfig, base).churnModel).toEqual(DEFAULT_CHURN_MODEL);
    expect(loadConfig(SegmentationConfig, base).ruleLimits).toEqual(DEFAULT_RULE_LIMITS);
    // The derived data's marker looked at every 30 s.
    expect(loadConfig(SegmentationConfig, base).SEGMENT_DERIVED_CHECK_SECONDS).toBe(30);
  });

  it('takes a bank’s own numbers', () => {
    const rules = loadConfig(SegmentationConfig, { ...base, SEGMENT_TIER_GOLD_CNY: '300000', SEGMENT_RFM_RECENCY_DAYS: '3, 14, 45, 120', SEGMENT_TIER_DOWNGRADE_GRACE_DAYS: '60' }).rules;
    expect(rules.tierThresholdsMinor.GOLD).toBe(30_000_000);
    expect(rules.recencyDays).toEqual([3, 14, 45, 120]);
    expect(rules.downgradeGraceDays).toBe(60);
    const model = loadConfig(SegmentationConfig, { ...base, SEGMENT_CHURN_WEIGHTS: 'complaints=1.5', SEGMENT_CHURN_INTERCEPT: '-2.5' }).churnModel;
    expect(model).toEqual({ ...DEFAULT_CHURN_MODEL, intercept: -2.5, weights: { ...DEFAULT_CHURN_MODEL.weights, complaints: 1.5 } });
    const clv = loadConfig(SegmentationConfig, {
      ...base,
      SEGMENT_CLV_MARGINS: 'DEPOSIT_CURRENT=0.012, MORTGAGE=0.025',
      SEGMENT_CLV_FEE_ANNUALISATION: '4.06',
      SEGMENT_CLV_DISCOUNT_RATE: '0.1',
      SEGMENT_CLV_RETENTION_MIN: '0.1',
      SEGMENT_CLV_RETENTION_MAX: '0.95',
    }).rules.clv;
    expect(clv).toEqual({
      marginByType: { ...DEFAULT_SEGMENTATION_RULES.clv.marginByType, DEPOSIT_CURRENT: 0.012, MORTGAGE: 0.025 },
      feeAnnualisation: 4.06,
      discountRate: 0.1,
      retentionRange: { min: 0.1, max: 0.95 },
    });
    const rfm = loadConfig(SegmentationConfig, { ...base, SEGMENT_RFM_MODE: 'QUANTILE', SEGMENT_RFM_QUANTILE_MIN_CUSTOMERS: '200' }).rules;
    expect([rfm.rfmMode, rfm.rfmQuantileMinCustomers]).toEqual(['QUANTILE', 200]);
  });

  it('takes the lines npm run train:churn prints, as printed', () => {
    const refitted = { intercept: -3.93449, weights: { inactivity: 0.3127, transactionDecline: 2.5634, aumDrop: 3.89549, productsClosed: 0, complaints: 1.15, lowSatisfaction: 2.382, appLoginDecline: 0.0000004 } };
    const env = Object.fromEntries(churnEnvLines(refitted).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    expect(loadConfig(SegmentationConfig, { ...base, ...env }).churnModel).toEqual({
      ...DEFAULT_CHURN_MODEL,
      intercept: -3.934,
      weights: { inactivity: 0.313, transactionDecline: 2.563, aumDrop: 3.895, productsClosed: 0, complaints: 1.15, lowSatisfaction: 2.382, appLoginDecline: 0 },
    });
    expect(loadConfig(SegmentationConfig, { ...base, SEGMENT_RULE_MAX_DEPTH: '12', SEGMENT_RULE_MAX_BYTES: '65536' }).ruleLimits).toEqual({ ...DEFAULT_RULE_LIMITS, maxDepth: 12, maxBytes: 65_536 });
  });

  it.each([
    [{ SEGMENT_TIER_SILVER_CNY: '600000' }, 'tierThresholdsMinor must fall'],
    [{ SEGMENT_RFM_FREQUENCY_COUNTS: '3,8,15,30' }, 'frequencyCounts must fall'],
    [{ SEGMENT_RFM_RECENCY_DAYS: '7,30,60' }, 'SEGMENT_RFM_RECENCY_DAYS must be four numbers'],
    [{ SEGMENT_AT_RISK_AFTER_DAYS: '200' }, 'atRiskAfterDays must be below dormantAfterDays'],
    [{ SEGMENT_CHURN_WEIGHTS: 'inactivity=2,mood=1' }, 'unknown churn factor "mood"'],
    [{ SEGMENT_CHURN_WEIGHTS: 'complaints=-1' }, 'churn factor complaints needs a weight ≥ 0'],
    [{ SEGMENT_CHURN_MEDIUM_FROM: '0.8' }, 'churn bands must hold'],
    [{ SEGMENT_RFM_MODE: 'ADAPTIVE' }, 'SEGMENT_RFM_MODE must be one of the following values: FIXED, QUANTILE'],
    [{ SEGMENT_RFM_QUANTILE_MIN_CUSTOMERS: '4' }, 'SEGMENT_RFM_QUANTILE_MIN_CUSTOMERS must not be less than 5'],
    [{ SEGMENT_CLV_MARGINS: 'SAVINGS=0.01' }, 'unknown product type "SAVINGS"'],
    [{ SEGMENT_CLV_MARGINS: 'FUND=-0.01' }, 'product type FUND needs a margin ≥ 0'],
    [{ SEGMENT_CLV_MARGINS: 'FUND=1.5,WEALTH=2' }, 'clv margins must be in [0, 1] for every product type (not: WEALTH, FUND)'],
    [{ SEGMENT_CLV_DISCOUNT_RATE: '-0.01' }, 'SEGMENT_CLV_DISCOUNT_RATE must not be less than 0'],
    [{ SEGMENT_CLV_RETENTION_MIN: '0.99' }, 'clv retention range must hold 0 ≤ min ≤ max < 1'],
    [{ SEGMENT_CLV_RETENTION_MAX: '1' }, 'clv retention range must hold 0 ≤ min ≤ max < 1'],
    [{ SEGMENT_RULE_MAX_DEPTH: '1' }, 'SEGMENT_RULE_MAX_DEPTH'],
    [{ SEGMENT_DERIVED_CHECK_SECONDS: '0' }, 'SEGMENT_DERIVED_CHECK_SECONDS must not be less than 1'],
    [{ SEGMENT_REBUILD_LOCK_SECONDS: '5' }, 'SEGMENT_REBUILD_LOCK_SECONDS must not be less than 10'],
  ])('refuses %j, naming the rule', (env, message) => {
    expect(() => loadConfig(SegmentationConfig, { ...base, ...env })).toThrow(ConfigValidationError);
    expect(() => loadConfig(SegmentationConfig, { ...base, ...env })).toThrow(message);
    // Only that: the rest of the configuration is fine.
    expect(() => loadConfig(SegmentationConfig, base)).not.toThrow();
  });
});
