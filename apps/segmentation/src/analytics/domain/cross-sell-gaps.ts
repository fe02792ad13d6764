import { PRODUCT_TYPES, ProductType, TIERS, Tier } from '@meridian/events';
import { Counters } from './distribution';

export interface ProductGap {
  productType: ProductType;
  /** Customers of the tier holding it, and its share of the tier. */
  holders: number;
  heldShare: number;
  /** The gap: customers of the tier without it, and their share of the tier. */
  without: number;
  gapShare: number;
}

export interface TierGaps {
  tier: Tier;
  customers: number;
  /** The product types more than `mostShare` of the tier hold, largest gap first (then by product type). */
  products: ProductGap[];
}

/** DOMAIN.md "most of that tier hold": more than half, unless a bank sets otherwise. */
export const DEFAULT_MOST_SHARE = 0.5;

/**
 * The cross-sell gap (DOMAIN.md: 产品交叉销售潜力): for each tier, the share of its customers
 * without each product type that most of the tier hold. Holders come from
 * `hold|<TIER>|<PRODUCT>`, the tier's customers from `n|tier|<TIER>|<branch>` over all branches.
 */
export function crossSellGaps(counters: Counters, options: { tier?: Tier; mostShare?: number } = {}): TierGaps[] {
  const mostShare = options.mostShare ?? DEFAULT_MOST_SHARE;
  const customers = new Map<string, number>();
  const holders = new Map<string, number>();
  for (const [key, amount] of Object.entries(counters)) {
    const parts = key.split('|');
    if (parts.length === 4 && parts[0] === 'n' && parts[1] === 'tier') customers.set(parts[2], (customers.get(parts[2]) ?? 0) + amount);
    else if (parts.length === 3 && parts[0] === 'hold') holders.set(`${parts[1]}|${parts[2]}`, amount);
  }
  return TIERS.filter((tier) => !options.tier || tier === options.tier).map((tier) => {
    const n = Math.max(0, customers.get(tier) ?? 0);
    const products = n
      ? PRODUCT_TYPES.flatMap((productType) => {
          const held = Math.min(n, Math.max(0, holders.get(`${tier}|${productType}`) ?? 0));
          return held / n > mostShare ? [{ productType, holders: held, heldShare: held / n, without: n - held, gapShare: (n - held) / n }] : [];
        }).sort((a, b) => b.gapShare - a.gapShare || (a.productType < b.productType ? -1 : 1))
      : [];
    return { tier, customers: n, products };
  });
}
