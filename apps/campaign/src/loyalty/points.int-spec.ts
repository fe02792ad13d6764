import { EnvelopeInit, PointsAwarded, PointsExpired, PointsRedeemed, Role, TOPICS } from '@meridian/events';
import { newEnvelope } from '@meridian/events/kafka';
import { signTestToken, uniqueName, waitFor } from '@meridian/shared/testing';
import { CampaignHarness } from '../testing/campaign-harness';
import { pointsExpireAt } from './domain/points-expiry';

interface Caller {
  roles: Role[];
  sub?: string;
  branchId?: string;
}

const SYSTEM: Caller = { roles: ['SYSTEM'], sub: 'rewards-mall' };

/**
 * Loyalty points on real Kafka, the MongoDB-wire server and Redis (issue 13, point 4): awards from
 * card purchases once per transaction, redemptions that never overdraw under concurrency and are
 * idempotent by key, FIFO expiry at 24 months as of an explicit instant, the ledger paged, and
 * each change announced on crm.campaign.v1 once.
 */
describe('campaign: loyalty points', () => {
  const h = new CampaignHarness();

  beforeAll(() => h.start({}), 120_000);
  afterAll(() => h.stop());

  async function as(caller: Caller, method: string, path: string, body?: unknown) {
    const token = await signTestToken(h.env.JWT_SECRET, { roles: caller.roles, sub: caller.sub, branchId: caller.branchId });
    const res = await fetch(`${h.service.url}${path}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, ...(body !== undefined && { body: JSON.stringify(body) }) });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  }

  const points = (customerId: string, query = '') => as(SYSTEM, 'GET', `/v1/customers/${customerId}/points${query}`);

  /** A transaction of the customer on crm.transaction.v1: a card purchase unless told otherwise. */
  function transaction(customerId: string, over: Record<string, unknown> = {}, eventId = uniqueName('evt')) {
    const payload = { sourceSystem: 'cards', sourceCustomerId: `CB-${customerId}`, transactionId: uniqueName('T'), productId: 'CARD-1', productType: 'CREDIT_CARD', direction: 'DEBIT', amountMinor: 123_456, currency: 'CNY', channel: 'POS', category: 'PURCHASE', bookedAt: new Date().toISOString(), ...over };
    return { topic: TOPICS.transaction, envelope: newEnvelope('TransactionPosted', payload, { eventId, source: 'meridian-ingest', customerId, occurredAt: payload.bookedAt as string }) };
  }

  async function balanceOf(customerId: string, balance: number) {
    return waitFor(async () => {
      const view = await points(customerId);
      return view.body.balance === balance ? view.body : undefined;
    }, 60_000, `${customerId} holds ${balance} points`);
  }

  const announced = async <T>(customerId: string, type: string) => (await h.published<T & { customerId: string }>(type)).filter((e) => e.payload.customerId === customerId);

  it('awards 1 point per 100 CNY of a card purchase once, however the transaction is redelivered or re-sent, and nothing for a refund', async () => {
    const customerId = uniqueName('C');
    const purchase = transaction(customerId, { amountMinor: 1_234_56 });
    const copy = { ...purchase, envelope: { ...purchase.envelope, eventId: uniqueName('evt') } };
    const refund = transaction(customerId, { direction: 'CREDIT', amountMinor: 50_000_00 });
    const small = transaction(customerId, { amountMinor: 99_99 });
    await h.publisher.publishAll([purchase, purchase, copy, refund, small]);
    await h.publisher.publishAll([purchase]);
    const view = await balanceOf(customerId, 12);
    // The last of them read, so anything else would have landed by now.
    const marker = transaction(customerId, { amountMinor: 100_00 });
    await h.publisher.publishAll([marker]);
    const after = await balanceOf(customerId, 13);
    expect(after.entries.map((e: any) => [e.kind, e.reason, e.points, e.ref])).toEqual([
      ['AWARD', 'CARD_PURCHASE', 1, `txn:cards:${marker.envelope.payload.transactionId}`],
      ['AWARD', 'CARD_PURCHASE', 12, `txn:cards:${purchase.envelope.payload.transactionId}`],
    ]);
    expect(view.entries[0].expiresAt).toBe(pointsExpireAt(purchase.envelope.payload.bookedAt as string, 24));
    const awards = await waitFor(async () => {
      const seen = await announced<PointsAwarded>(customerId, 'PointsAwarded');
      return seen.length >= 2 ? seen : undefined;
    }, 30_000, 'awards announced');
    expect(awards.map((e) => [e.payload.points, e.payload.reason])).toEqual([
      [12, 'CARD_PURCHASE'],
      [1, 'CARD_PURCHASE'],
    ]);
    expect(awards.map((e) => e.eventId)).toEqual(awards.map((e) => e.payload.ledgerEntryId));
  });

  it('lets 10 of 50 redemptions at once through against a balance that covers 10, never below zero, and answers a key sent again with its redemption', async () => {
    const customerId = uniqueName('C');
    await h.publisher.publishAll([transaction(customerId, { amountMinor: 100_000_00 })]);
    await balanceOf(customerId, 1_000);
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => as({ roles: ['SYSTEM'] }, 'POST', `/v1/customers/${customerId}/points/redemptions`, { clientKey: `gift-${i}`, points: 100, reason: 'GIFT' })));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(40);
    const refused = answers.find((a) => a.status === 409);
    expect(refused?.body.errors).toEqual([expect.objectContaining({ field: 'points', rule: 'isWithinBalance' })]);
    expect(refused?.body.balance).toBe(0);
    const done = answers.filter((a) => a.status === 201);
    // Each redemption saw the balance its predecessors left: 900, 800, … 0, none below.
    expect(done.map((a) => a.body.balance).sort((a, b) => b - a)).toEqual([900, 800, 700, 600, 500, 400, 300, 200, 100, 0]);
    const view = await points(customerId);
    expect(view.body.balance).toBe(0);
    expect(view.body.entries.filter((e: any) => e.kind === 'REDEMPTION')).toHaveLength(10);
    expect(view.body.entries.every((e: any) => e.balanceAfter >= 0)).toBe(true);

    const key = done[0].body.redemption.ref.replace(/^redeem:/, '');
    const again = await as(SYSTEM, 'POST', `/v1/customers/${customerId}/points/redemptions`, { clientKey: key, points: 100, reason: 'GIFT' });
    expect(again.status).toBe(200);
    expect(again.body.redemption.entryId).toBe(done[0].body.redemption.entryId);
    const other = await as(SYSTEM, 'POST', `/v1/customers/${customerId}/points/redemptions`, { clientKey: key, points: 50, reason: 'GIFT' });
    expect(other.status).toBe(409);
    expect(other.body.errors).toEqual([expect.objectContaining({ field: 'clientKey', rule: 'isSameRequest' })]);
    const redeemed = await waitFor(async () => {
      const seen = await announced<PointsRedeemed>(customerId, 'PointsRedeemed');
      return seen.length >= 10 ? seen : undefined;
    }, 30_000, 'redemptions announced');
    expect(redeemed).toHaveLength(10);
  });

  it('expires what is left of each award 24 months after it was earned, oldest first, as of the instant given, once', async () => {
    const customerId = uniqueName('C');
    // Earned 23 and 18 months ago: both still held today, lapsing in one month and in six.
    const monthsAgo = (n: number) => {
      const d = new Date();
      d.setUTCDate(10);
      d.setUTCMonth(d.getUTCMonth() - n);
      return d.toISOString();
    };
    const early = transaction(customerId, { amountMinor: 300_00, bookedAt: monthsAgo(23) });
    const later = transaction(customerId, { amountMinor: 500_00, bookedAt: monthsAgo(18) });
    const lapseOf = (t: typeof early) => pointsExpireAt(t.envelope.payload.bookedAt as string, 24);
    await h.publisher.publishAll([early, later]);
    await balanceOf(customerId, 8);
    // 4 points spent: 3 from the first award (it lapses first), 1 from the second.
    const spent = await as(SYSTEM, 'POST', `/v1/customers/${customerId}/points/redemptions`, { clientKey: uniqueName('k'), points: 4, reason: 'GIFT' });
    expect(spent.status).toBe(201);
    const expectedAwards = (await points(customerId)).body.entries.filter((e: any) => e.kind === 'AWARD').reverse();
    expect(spent.body.redemption.taken).toEqual([
      { entryId: expectedAwards[0].entryId, points: 3 },
      { entryId: expectedAwards[1].entryId, points: 1 },
    ]);
    expect((await points(customerId)).body.nextExpiry).toEqual({ at: lapseOf(later), points: 4 });

    const expire = (asOf: string) => as({ roles: ['ADMIN'] }, 'POST', '/v1/points/expiries', { asOf });
    // The first award's lapse takes nothing (it was spent whole); a moment before the second's, nothing of it goes.
    const before = await expire(new Date(Date.parse(lapseOf(later)) - 1_000).toISOString());
    expect(before.status).toBe(200);
    expect((await points(customerId)).body.balance).toBe(4);
    const due = await expire(lapseOf(later));
    expect(due.body).toEqual(expect.objectContaining({ asOf: lapseOf(later), failed: 0 }));
    expect(due.body.expired).toBeGreaterThanOrEqual(1);
    const view = await points(customerId);
    expect(view.body.balance).toBe(0);
    expect(view.body.nextExpiry).toBeUndefined();
    expect(view.body.entries[0]).toEqual(expect.objectContaining({ kind: 'EXPIRY', points: 4, at: lapseOf(later), awardedEntryId: expectedAwards[1].entryId, balanceAfter: 0 }));
    const again = await expire(lapseOf(later));
    expect(again.body.expired).toBe(0);
    expect((await points(customerId)).body.entries).toHaveLength(view.body.entries.length);
    const lapsed = await waitFor(async () => {
      const seen = await announced<PointsExpired>(customerId, 'PointsExpired');
      return seen.length >= 1 ? seen : undefined;
    }, 30_000, 'expiry announced');
    expect(lapsed.map((e) => [e.payload.points, e.payload.awardedEntryId])).toEqual([[4, expectedAwards[1].entryId]]);
  });

  it('awards a campaign goal once a converted message, and pages a long ledger newest first, by _id reads of its archive', async () => {
    const customerId = uniqueName('C');
    const conversion: EnvelopeInit = newEnvelope('ConversionAttributed', { customerId, campaignId: 'cmp-x', messageId: uniqueName('msg'), conversionEventId: 'evt-goal', conversionType: 'ProductOpened:WEALTH', valueMinor: 0 }, { source: 'meridian-campaign', customerId, occurredAt: new Date().toISOString() });
    await h.publisher.publishAll([{ topic: TOPICS.campaign, envelope: conversion }, { topic: TOPICS.campaign, envelope: { ...conversion, eventId: uniqueName('evt') } }]);
    await balanceOf(customerId, 200);
    const purchases = Array.from({ length: 230 }, () => transaction(customerId, { amountMinor: 100_00 }));
    await h.publisher.publishAll(purchases);
    await balanceOf(customerId, 430);
    // Entries leave the account for the archive once announced: the next change moves them.
    await h.publisher.publishAll([transaction(customerId, { amountMinor: 100_00 })]);
    await balanceOf(customerId, 431);
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await points(customerId, `?limit=70${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.entries.map((e: any) => e.seq));
      cursor = page.body.next;
    } while (cursor);
    expect(seen).toEqual(Array.from({ length: 232 }, (_, i) => 232 - i));
    expect((await points(customerId, '?cursor=2&limit=5')).body.entries.map((e: any) => [e.reason, e.points])).toEqual([['CAMPAIGN_GOAL', 200]]);
    // Entries past two chunks were archived once announced.
    const account = (await h.db.collection('points_accounts').findOne({ _id: customerId as never })) as Record<string, any>;
    expect(account.archivedThrough).toBeGreaterThanOrEqual(100);
    // An archived purchase sent again under another eventId is still the same award: found through its claim.
    await h.publisher.publishAll([{ ...purchases[0], envelope: { ...purchases[0].envelope, eventId: uniqueName('evt') } }, transaction(customerId, { amountMinor: 100_00 })]);
    await balanceOf(customerId, 432);
    expect((await points(customerId, '?limit=3')).body.entries.map((e: any) => e.seq)).toEqual([233, 232, 231]);
    expect(await points(customerId, '?cursor=x')).toEqual(expect.objectContaining({ status: 400 }));
  });

  it('awards a referral once a referred customer', async () => {
    const customerId = uniqueName('C');
    const friend = uniqueName('C');
    const first = await as(SYSTEM, 'POST', `/v1/customers/${customerId}/points/referrals`, { referredCustomerId: friend });
    expect(first.status).toBe(201);
    expect(first.body).toEqual(expect.objectContaining({ created: true, balance: 500, award: expect.objectContaining({ kind: 'AWARD', reason: 'REFERRAL', points: 500, ref: expect.stringMatching(/^referral:/) }) }));
    // The ledger names the referred customer hashed: it names no one once they are erased.
    expect(first.body.award.ref).not.toContain(friend);
    const again = await as(SYSTEM, 'POST', `/v1/customers/${customerId}/points/referrals`, { referredCustomerId: friend });
    expect([again.status, again.body.created, again.body.award.entryId, again.body.balance]).toEqual([200, false, first.body.award.entryId, 500]);
    expect((await as(SYSTEM, 'POST', `/v1/customers/${customerId}/points/referrals`, { referredCustomerId: customerId })).status).toBe(400);
    // Once a referred customer across the bank: another referrer of the same friend earns nothing.
    const other = await as(SYSTEM, 'POST', `/v1/customers/${uniqueName('C')}/points/referrals`, { referredCustomerId: friend });
    expect([other.status, other.body.errors?.[0]?.rule]).toEqual([409, 'isFirstReferral']);
    expect((await as({ roles: ['TELLER'] }, 'POST', `/v1/customers/${customerId}/points/referrals`, { referredCustomerId: uniqueName('C') })).status).toBe(403);
  });

  it('forgets an erased customer’s points (PIPL): the account, its archive and its marks', async () => {
    const customerId = uniqueName('C');
    await h.publisher.publishAll([transaction(customerId, { amountMinor: 1_000_00 })]);
    await balanceOf(customerId, 10);
    await h.erase(customerId);
    await waitFor(async () => (await h.db.collection('points_accounts').findOne({ _id: customerId as never })) === null, 60_000, 'the erased customer’s account gone');
    expect((await points(customerId)).body).toEqual({ customerId, balance: 0, entries: [] });
    expect(await h.redis.hexists(`${h.env.MONGODB_DATABASE}:cmp:pts:announced`, customerId)).toBe(0);
    expect(await h.redis.zscore(`${h.env.MONGODB_DATABASE}:cmp:pts:due`, customerId)).toBeNull();
  });

  it('shows a customer’s points to their RM and branch, not to another RM or to marketing', async () => {
    const customerId = await h.customer({ rmId: 'RM-OWN', branchId: 'BR-7' });
    await h.publisher.publishAll([transaction(customerId, { amountMinor: 1_000_00 })]);
    await balanceOf(customerId, 10);
    expect((await as({ roles: ['RM'], sub: 'RM-OWN', branchId: 'BR-7' }, 'GET', `/v1/customers/${customerId}/points`)).body.balance).toBe(10);
    expect((await as({ roles: ['BRANCH_MANAGER'], sub: 'bm', branchId: 'BR-7' }, 'GET', `/v1/customers/${customerId}/points`)).status).toBe(200);
    expect((await as({ roles: ['RM'], sub: 'RM-OTHER', branchId: 'BR-7' }, 'GET', `/v1/customers/${customerId}/points`)).status).toBe(404);
    expect((await as({ roles: ['TELLER'], sub: 't', branchId: 'BR-8' }, 'POST', `/v1/customers/${customerId}/points/redemptions`, { clientKey: 'k1', points: 1, reason: 'GIFT' })).status).toBe(404);
    expect((await as({ roles: ['MARKETING'] }, 'GET', `/v1/customers/${customerId}/points`)).status).toBe(403);
    const bad = await as(SYSTEM, 'POST', `/v1/customers/${customerId}/points/redemptions`, { clientKey: 'k 1', points: 0, reason: 'gift' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: any) => e.field).sort()).toEqual(['clientKey', 'points', 'reason']);
  });
});
