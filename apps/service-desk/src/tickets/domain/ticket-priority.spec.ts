import fc from 'fast-check';
import { TICKET_CATEGORIES, TICKET_PRIORITIES, TICKET_QUEUES, TIERS, TicketCategory, TicketPriority, Tier } from '@meridian/events';
import { DEFAULT_SERVICE_DESK_RULES as RULES, ServiceDeskRules } from './service-desk-rules';
import { slaPolicy, ticketPriority } from './ticket-priority';

describe('ticket priority (DOMAIN.md: by category, raised one level for DIAMOND/GOLD)', () => {
  it.each<[TicketCategory, Tier | undefined, TicketPriority, boolean]>([
    ['CARD_LOSS', 'MASS', 'P1', false],
    ['CARD_LOSS', 'DIAMOND', 'P1', false], // never above P1
    ['DISPUTE', 'SILVER', 'P1', false],
    ['DISPUTE', 'GOLD', 'P1', false],
    ['COMPLAINT', 'MASS', 'P2', false],
    ['COMPLAINT', 'SILVER', 'P2', false],
    ['COMPLAINT', 'GOLD', 'P1', true],
    ['COMPLAINT', 'DIAMOND', 'P1', true],
    ['INQUIRY', 'MASS', 'P3', false],
    ['INQUIRY', 'SILVER', 'P3', false], // SILVER is the first tier not raised
    ['INQUIRY', 'GOLD', 'P2', true],
    ['SERVICE_REQUEST', 'DIAMOND', 'P2', true], // one level, not two
    ['SERVICE_REQUEST', undefined, 'P3', false], // no profile yet: not raised
  ])('%s for a %s customer is %s', (category, tier, priority, raisedForTier) => {
    expect(ticketPriority(category, tier, RULES)).toEqual({ priority, categoryPriority: RULES.priorityByCategory[category], raisedForTier });
  });

  const validRaises = fc.integer({ min: 0, max: TIERS.length }).map((n) => TIERS.slice(0, n));
  const categoryPriorities = fc.record(Object.fromEntries(TICKET_CATEGORIES.map((c) => [c, fc.constantFrom(...TICKET_PRIORITIES)])) as Record<TicketCategory, fc.Arbitrary<TicketPriority>>);

  it('is monotone in tier: a higher tier never gets a lower priority, whatever the (valid) rules', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TICKET_CATEGORIES), fc.constantFrom(...TIERS), fc.constantFrom(...TIERS), validRaises, categoryPriorities, (category, a, b, raisedTiers, priorityByCategory) => {
        const rules: ServiceDeskRules = { ...RULES, raisedTiers, priorityByCategory };
        const [higher, lower] = TIERS.indexOf(a) <= TIERS.indexOf(b) ? [a, b] : [b, a];
        const rank = (t: Tier) => TICKET_PRIORITIES.indexOf(ticketPriority(category, t, rules).priority);
        expect(rank(higher)).toBeLessThanOrEqual(rank(lower));
        expect(TICKET_PRIORITIES.indexOf(rules.priorityByCategory[category]) - rank(higher)).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('SLA policy (DOMAIN.md: P1 around the clock, P2/P3 on the queue calendar unless the queue says otherwise)', () => {
  it.each<[TicketPriority, ServiceDeskRules['aroundTheClockQueues'], string, number, number]>([
    ['P1', [], 'AROUND_THE_CLOCK', 15, 240],
    ['P2', [], 'QUEUE_CALENDAR', 60, 1440],
    ['P3', [], 'QUEUE_CALENDAR', 240, 4320],
    ['P3', ['DIGITAL'], 'AROUND_THE_CLOCK', 240, 4320],
    ['P2', ['CARDS'], 'QUEUE_CALENDAR', 60, 1440], // another queue's setting does not apply
  ])('%s in DIGITAL (around-the-clock queues %j): %s, %i / %i min', (priority, aroundTheClockQueues, basis, firstResponseMinutes, resolutionMinutes) => {
    expect(slaPolicy(priority, 'DIGITAL', { ...RULES, aroundTheClockQueues })).toEqual({ basis, firstResponseMinutes, resolutionMinutes });
  });

  it('answers for every priority and queue', () => {
    for (const p of TICKET_PRIORITIES) for (const q of TICKET_QUEUES) expect(slaPolicy(p, q, RULES).resolutionMinutes).toBe(RULES.slaTargets[p].resolutionMinutes);
  });
});
