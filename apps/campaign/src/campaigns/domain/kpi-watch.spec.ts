import { DEFAULT_CAMPAIGN_RULES } from './campaign-rules';
import { endedWeeks, isoWeekOf, kpiStatus, kpiWatch } from './kpi-watch';

describe('KPI watch (红黄绿灯预警)', () => {
  it('names ISO weeks in the bank’s zone, and the weeks ended before now', () => {
    expect(isoWeekOf(new Date('2026-12-06T16:30:00Z'), 'Asia/Shanghai')).toBe('2026-W50');
    expect(isoWeekOf(new Date('2026-12-06T15:30:00Z'), 'Asia/Shanghai')).toBe('2026-W49');
    expect(isoWeekOf(new Date('2027-01-01T02:00:00Z'), 'Asia/Shanghai')).toBe('2026-W53');
    expect(endedWeeks(new Date('2026-12-02T10:00:00+08:00'), 'Asia/Shanghai', 2)).toEqual(['2026-W48', '2026-W47']);
  });

  it('is GREEN at or above target, YELLOW at 80 % of it or more, RED below', () => {
    expect([0.05, 0.04, 0.0399].map((r) => kpiStatus(r, 0.05, DEFAULT_CAMPAIGN_RULES))).toEqual(['GREEN', 'YELLOW', 'RED']);
  });

  it('alerts when the latest two ended weeks are both RED, not when one is, nor on a week that sent nothing', () => {
    const week = (w: string, sent: number, converted: number) => ({ week: w, sent, converted });
    expect(kpiWatch([week('W2', 100, 1), week('W1', 100, 2)], 0.05, DEFAULT_CAMPAIGN_RULES).alert).toMatchObject({ week: 'W2', status: 'RED', conversionRate: 0.01 });
    expect(kpiWatch([week('W2', 100, 1), week('W1', 100, 4)], 0.05, DEFAULT_CAMPAIGN_RULES).alert).toBeUndefined();
    expect(kpiWatch([week('W2', 100, 1), week('W1', 0, 0)], 0.05, DEFAULT_CAMPAIGN_RULES).alert).toBeUndefined();
    expect(kpiWatch([week('W2', 100, 1)], 0.05, DEFAULT_CAMPAIGN_RULES).alert).toBeUndefined();
  });
});
