/**
 * Loyalty points in `npm run demo` (issue 13, point 5): a cardholder comes through ingest with a
 * credit card and pays with it — one purchase nearly 24 months ago, two this week, and a refund.
 * Campaign awards 1 point per 100 CNY of each purchase (the refund earns nothing); the customer
 * redeems a gift (oldest points first), the rewards mall retries the same request (the same
 * redemption), and asks for more than the balance (refused). Then the daily expiry, run as of three
 * days from now, lapses what is left of the old purchase's points. The demo prints the ledger
 * (GET /v1/customers/{id}/points) before and after, and the events campaign announced.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { ingestPoster, serviceCaller } from './demo-http.mjs';
import { until } from './demo-kafka.mjs';
import { root, signDemoToken } from './demo-state.mjs';

const { residentId } = createRequire(import.meta.url)(path.join(root, 'libs/events/dist/fixtures/event-samples.js'));
const log = (m) => console.log(`[demo] ${m}`);
const DAY = 86_400_000;

export async function showLoyalty({ ingestUrl, campaignUrl, jwtSecret, watchCampaigns }) {
  const system = await signDemoToken(jwtSecret, { roles: ['SYSTEM'], branchId: 'HQ', sub: 'rewards-mall', ttl: '1h' });
  const admin = await signDemoToken(jwtSecret, { roles: ['ADMIN'], branchId: 'HQ', sub: 'demo-admin', ttl: '1h' });
  const run = Date.now().toString(36);
  const ref = `PTS-${run}`;
  let n = 0;
  const at = (daysAgo) => new Date(Date.now() - daysAgo * DAY).toISOString();
  const envelope = (type, occurredAt, payload) => ({ eventId: `demo-pts-${run}-${++n}`, type, schemaVersion: 1, occurredAt, source: 'cards', payload: { sourceSystem: 'cards', sourceCustomerId: ref, ...payload } });
  const post = ingestPoster(ingestUrl, system);
  const call = serviceCaller(campaignUrl);

  // 23 months and 28 days ago: its points lapse in two days.
  const old = at(24 * 30.4375 - 2);
  const birth = `19${80 + (parseInt(run.slice(-2), 36) % 15)}0612`;
  const card = { productId: `${ref}-CC`, productType: 'CREDIT_CARD', productCode: 'CC-PLAT' };
  const purchase = (id, daysAgoOrAt, amount, merchantName, direction = 'DEBIT') => {
    const bookedAt = typeof daysAgoOrAt === 'string' ? daysAgoOrAt : at(daysAgoOrAt);
    return envelope('TransactionPosted', bookedAt, { transactionId: `${ref}-${id}`, ...card, direction, amount, currency: 'CNY', channel: 'POS', category: 'PURCHASE', merchantName, bookedAt });
  };
  const [opened] = await post([envelope('CustomerUpserted', old, { idType: 'RESIDENT_ID', idNumber: residentId(birth, '310104', String(100 + (parseInt(run.slice(-3), 36) % 900))), phone: `136${String(Date.now()).slice(-8)}`, name: '积分演示', customerType: 'PERSONAL', branchId: 'SH001', rmId: 'RM3', birthDate: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6)}` })]);
  const customerId = opened.customerId;
  await post([envelope('ProductOpened', old, { ...card, openedAt: old })]);
  const resent = purchase('T1', old, '1288.00', '家乐福 Carrefour');
  await post([resent, purchase('T2', 3, '3999.00', '苹果 Apple Store'), purchase('T3', 1, '568.50', '星巴克 Starbucks'), purchase('T3R', 0, '568.50', '星巴克 Starbucks (refund)', 'CREDIT')]);
  // The card system sends the first purchase again under a new event id: the same fact, one award.
  await post([{ ...resent, eventId: `demo-pts-${run}-again` }]);
  const ledger = () => call(system, 'GET', `/v1/customers/${customerId}/points?limit=20`);
  const earned = 12 + 39 + 5;
  await until('the cardholder’s points', async () => (await ledger()).body.balance === earned, 60_000);
  log(`loyalty: a cardholder (${customerId}) paid 1,288.00 CNY nearly 24 months ago, 3,999.00 and 568.50 this week, and got 568.50 refunded; 1 point per 100 CNY of card purchase (GET /v1/customers/{id}/points):`);

  const redeem = (clientKey, points) => call(system, 'POST', `/v1/customers/${customerId}/points/redemptions`, { clientKey, points, reason: 'GIFT' });
  const gift = await redeem(`${run}-mug`, 8);
  const retried = await redeem(`${run}-mug`, 8);
  const tooMuch = await redeem(`${run}-tv`, 5_000);
  log(`  redeem 8 points for a gift: ${gift.status}, balance ${gift.body.balance} (taken oldest first: ${gift.body.redemption.taken.map((t) => `${t.points} of ${t.entryId}`).join(', ')})`);
  log(`  the same request again (clientKey ${run}-mug): ${retried.status}, the same entry ${retried.body.redemption.entryId}; 5,000 points: ${tooMuch.status} ${tooMuch.body.errors.map((e) => `${e.field} (${e.rule})`).join(', ')}, balance ${tooMuch.body.balance}`);

  const asOf = new Date(Date.now() + 3 * DAY).toISOString();
  const expiry = await call(admin, 'POST', '/v1/points/expiries', { asOf });
  log(`  the daily expiry as of ${asOf} (POST /v1/points/expiries): ${expiry.body.accounts} account(s) due, ${expiry.body.expired} award(s) lapsed, ${expiry.body.points} points`);
  const view = (await ledger()).body;
  log(`  the ledger now: balance ${view.balance}${view.nextExpiry ? `, next ${view.nextExpiry.points} points lapse at ${view.nextExpiry.at}` : ''}; newest first:`);
  for (const e of view.entries) {
    const what = e.kind === 'AWARD' ? `+${e.points} ${e.reason.padEnd(13)} ${e.ref}, lapses ${e.expiresAt.slice(0, 10)}` : e.kind === 'REDEMPTION' ? `−${e.points} ${e.reason.padEnd(13)} ${e.ref}` : `−${e.points} EXPIRED       of ${e.awardedEntryId}`;
    log(`    #${String(e.seq).padEnd(3)} ${e.at.slice(0, 10)} ${what.padEnd(70)} balance ${e.balanceAfter}`);
  }
  const announced = await until('the points events', () => {
    const mine = watchCampaigns.events.filter((e) => e.customerId === customerId && e.type.startsWith('Points'));
    return mine.length >= view.entries.length ? mine : undefined;
  }, 30_000);
  log(`  announced on crm.campaign.v1: ${[...new Set(announced.map((e) => e.eventId))].length} events (${['PointsAwarded', 'PointsRedeemed', 'PointsExpired'].map((t) => `${t} ${announced.filter((e) => e.type === t).length}`).join(', ')})`);
}
