import { DEFAULT_SERVICE_DESK_RULES as RULES, ServiceDeskRules, serviceDeskRuleProblems } from './service-desk-rules';

const targets = (over: Partial<ServiceDeskRules['slaTargets']>): Partial<ServiceDeskRules> => ({ slaTargets: { ...RULES.slaTargets, ...over } });

describe('service-desk rules hold together', () => {
  it('the defaults do, and say DOMAIN.md\'s numbers', () => {
    expect(serviceDeskRuleProblems(RULES)).toEqual([]);
    expect(RULES.slaTargets).toEqual({
      P1: { firstResponseMinutes: 15, resolutionMinutes: 240 },
      P2: { firstResponseMinutes: 60, resolutionMinutes: 1440 },
      P3: { firstResponseMinutes: 240, resolutionMinutes: 4320 },
    });
    expect(RULES.stageFractions).toEqual({ warn: 0.8, breach: 1, breach2x: 2 });
    expect(RULES.reopenWindowDays).toBe(7);
  });

  it.each<[string, Partial<ServiceDeskRules>, string]>([
    ['a category without a priority', { priorityByCategory: { ...RULES.priorityByCategory, INQUIRY: 'P4' as never } }, 'priorityByCategory needs a priority (P1, P2, P3) for every category (not: INQUIRY)'],
    ['GOLD raised but not DIAMOND (priority would fall with tier)', { raisedTiers: ['GOLD'] }, 'raisedTiers must be the top of'],
    ['an unknown tier raised', { raisedTiers: ['DIAMOND', 'PLATINUM' as never] }, 'raisedTiers must be the top of'],
    ['a tier raised twice', { raisedTiers: ['DIAMOND', 'DIAMOND'] }, 'raisedTiers must be the top of'],
    ['a zero first-response target', targets({ P2: { firstResponseMinutes: 0, resolutionMinutes: 60 } }), 'slaTargets.P2 needs whole minutes above 0'],
    ['a fractional target', targets({ P3: { firstResponseMinutes: 240.5, resolutionMinutes: 4320 } }), 'slaTargets.P3 needs whole minutes above 0'],
    ['first response beyond resolution', targets({ P1: { firstResponseMinutes: 300, resolutionMinutes: 240 } }), 'slaTargets.P1: the first response target must not exceed the resolution target'],
    ['P2 tighter than P1', targets({ P2: { firstResponseMinutes: 10, resolutionMinutes: 1440 } }), 'slaTargets must not tighten from P1 to P3'],
    ['warn at breach', { stageFractions: { warn: 1, breach: 1, breach2x: 2 } }, 'stageFractions must hold 0 < warn < breach < breach2x'],
    ['warn at 0', { stageFractions: { warn: 0, breach: 1, breach2x: 2 } }, 'stageFractions must hold'],
    ['level 2 before level 1', { stageFractions: { warn: 0.8, breach: 1, breach2x: 1 } }, 'stageFractions must hold'],
    ['an unknown around-the-clock priority', { aroundTheClockPriorities: ['P0' as never] }, 'aroundTheClockPriorities must name priorities'],
    ['an unknown around-the-clock queue', { aroundTheClockQueues: ['MORTGAGES' as never] }, 'aroundTheClockQueues must name queues'],
    ['a negative reopen window', { reopenWindowDays: -1 }, 'reopenWindowDays must be 0 or more'],
    ['no survey channel', { surveyChannelOrder: [] }, 'surveyChannelOrder must name at least one channel'],
    ['a survey channel twice', { surveyChannelOrder: ['sms', 'sms'] }, 'surveyChannelOrder must name at least one channel'],
    ['an unknown survey channel', { surveyChannelOrder: ['fax' as never] }, 'surveyChannelOrder must name at least one channel'],
  ])('%s is refused', (_, over, message) => {
    expect(serviceDeskRuleProblems({ ...RULES, ...over })).toEqual([expect.stringContaining(message)]);
  });

  it.each<[string, Partial<ServiceDeskRules>]>([
    ['no tier raised', { raisedTiers: [] }],
    ['only DIAMOND raised', { raisedTiers: ['DIAMOND'] }],
    ['equal targets across priorities', targets({ P2: { ...RULES.slaTargets.P1 }, P3: { ...RULES.slaTargets.P1 } })],
    ['first response equal to resolution', targets({ P3: { firstResponseMinutes: 4320, resolutionMinutes: 4320 } })],
    ['a same-day reopen window', { reopenWindowDays: 0 }],
    ['every priority around the clock', { aroundTheClockPriorities: ['P1', 'P2', 'P3'] }],
    ['the digital queue around the clock', { aroundTheClockQueues: ['DIGITAL'] }],
  ])('%s is fine', (_, over) => {
    expect(serviceDeskRuleProblems({ ...RULES, ...over })).toEqual([]);
  });
});
