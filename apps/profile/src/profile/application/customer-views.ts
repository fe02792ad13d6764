import { ConflictException, ForbiddenException, GoneException, Injectable, NotFoundException } from '@nestjs/common';
import { PiiAccessed, TOPICS, isOffsetDateTime, normalisePhone } from '@meridian/events';
import { EventPublisher, newEnvelope } from '@meridian/events/kafka';
import { Access, BlindIndex, Clock, FieldValidationException, KeyedMutex, Principal, accessFor, maskEmail, maskIdNumber, maskName, maskPhone } from '@meridian/shared';
import { ProfileConfig } from '../../config/profile.config';
import { ProfileFigures, profileFigures } from '../domain/profile-features';
import { ProfileState, canonical } from '../domain/profile-state';
import { DataKeys } from './ports/data-keys.port';
import { PiiIndex } from './ports/pii-index.port';
import { ProfileEventLog } from './ports/profile-event-log.port';
import { ProfileDoc, ProfileStore } from './ports/profile-store.port';
import { ProfileSealer } from './ports/profile-sealer.port';
import { ProfileEraser } from './profile-eraser';
import { piiKeysOf } from './pii-keys';

const PII_FIELDS = ['name', 'idNumber', 'phone', 'email', 'birthDate'] as const;

export interface CustomerView {
  customerId: string;
  status: 'ACTIVE';
  access: Access;
  version: number;
  asOf?: string;
  identity?: Record<string, unknown>;
  consents?: unknown;
  branchId?: string;
  rmId?: string;
  products: Array<Record<string, unknown>>;
  figures: Partial<ProfileFigures>;
  lastActivityAt?: string;
  lastTransactionAt?: string;
  sources?: string[];
  mergedFrom?: string[];
}

/**
 * The 360° view, the look-ups, the timeline, export and erasure (CONTRACTS.md §5, issue 4),
 * each shaped by the caller's access, and every read of unmasked PII announced as
 * PiiAccessed (who, whom, which fields, why).
 */
@Injectable()
export class CustomerViews {
  constructor(
    private readonly repository: ProfileStore,
    private readonly eventLog: ProfileEventLog,
    private readonly piiIndex: PiiIndex,
    private readonly keys: DataKeys,
    private readonly sealing: ProfileSealer,
    private readonly blindIndex: BlindIndex,
    private readonly publisher: EventPublisher,
    private readonly config: ProfileConfig,
    private readonly clock: Clock,
    private readonly eraser: ProfileEraser,
    private readonly locks: KeyedMutex,
  ) {}

  /**
   * The profile document, the caller's access and the opened state; 404 unknown, 410
   * erased, a pointer when merged. The caller's scope is checked on the clear branch and
   * RM before the data key is touched.
   */
  private async open(customerId: string, principal: Principal): Promise<{ doc: ProfileDoc; access: Access; state: ProfileState } | { merged: ProfileDoc }> {
    const doc = (await this.repository.load([customerId])).get(customerId);
    if (!doc || (!doc.sealed && doc.status === 'ACTIVE')) throw new NotFoundException(`customer ${customerId} has no profile`);
    if (doc.status === 'ERASED') throw new GoneException(`customer ${customerId} was erased on ${doc.erasedAt}`);
    if (doc.status === 'MERGED') return { merged: doc };
    const access = accessFor(principal, doc);
    const key = await this.keys.keyOf(customerId);
    if (!key) throw new GoneException(`customer ${customerId}'s data key is destroyed`);
    return { doc, access, state: this.sealing.openProfile(key, customerId, doc.sealed ?? '') };
  }

  async view(customerId: string, principal: Principal, purpose: string): Promise<CustomerView | { customerId: string; status: 'MERGED'; mergedInto?: string }> {
    const opened = await this.open(customerId, principal);
    if ('merged' in opened) return { customerId, status: 'MERGED', mergedInto: opened.merged.mergedInto };
    const view = this.shape(opened.state, opened.access);
    if (opened.access === 'FULL') await this.audit(principal, customerId, this.unmaskedFields(opened.state), purpose);
    return view;
  }

  /** Look-up through the blind index (the clear value is never stored or compared). */
  async lookup(query: { idNumber?: string; phone?: string }, principal: Principal, purpose: string) {
    const key = query.idNumber ? `ID_NUMBER:${this.blindIndex.compute('ID_NUMBER', query.idNumber)}` : `PHONE:${this.blindIndex.compute('PHONE', normalisePhone(query.phone ?? ''))}`;
    const customerId = await this.piiIndex.findByPii(key);
    if (!customerId) return { customers: [] };
    try {
      return { customers: [await this.view(customerId, principal, purpose)] };
    } catch (error) {
      // A search answers within the caller's scope: a customer they may not see is not found,
      // so a look-up cannot tell whether an ID number belongs to another branch's customer.
      if (error instanceof ForbiddenException || error instanceof GoneException) return { customers: [] };
      throw error;
    }
  }

  async timeline(customerId: string, principal: Principal, limit: number, cursor: string | undefined, purpose: string) {
    const before = cursor === undefined ? undefined : decodeCursor(cursor);
    if (cursor !== undefined && !before) {
      throw new FieldValidationException([{ field: 'cursor', rule: 'isTimelineCursor', message: 'cursor must be a cursor returned by a previous page (an ISO-8601 date-time with an offset and a non-empty eventId)' }]);
    }
    const opened = await this.open(customerId, principal);
    if ('merged' in opened) return { customerId, status: 'MERGED', mergedInto: opened.merged.mergedInto, items: [] };
    const access = opened.access;
    const owners = [customerId, ...(opened.doc.mergedFrom ?? [])];
    const page = await this.eventLog.timeline(owners, limit + 1, before);
    const items = [];
    for (const e of page.slice(0, limit)) {
      const key = await this.keys.keyOf(e.customerId);
      const payload = key ? this.sealing.openEvent<Record<string, unknown>>(key, e.customerId, e._id, e.sealed) : {};
      items.push({ eventId: e._id, type: e.type, occurredAt: e.occurredAt, ...(e.customerId !== customerId && { mergedFrom: e.customerId }), summary: summarise(e.type, payload, access) });
    }
    // Amounts are balances' kin: a FULL page that shows any is an unmasked read.
    if (access === 'FULL' && items.some((i) => 'amountMinor' in i.summary || 'balanceMinor' in i.summary)) await this.audit(principal, customerId, ['amounts'], purpose);
    const last = page[limit - 1];
    return { customerId, items, ...(page.length > limit && last && { nextCursor: encodeCursor(last.occurredAt, last._id) }) };
  }

  /** PIPL access request: everything held about the customer, in clear. */
  async export(customerId: string, principal: Principal) {
    const opened = await this.open(customerId, principal);
    if ('merged' in opened) throw new ConflictException(`customer ${customerId} is merged into ${opened.merged.mergedInto}: export that customer`);
    const owners = [customerId, ...(opened.doc.mergedFrom ?? [])];
    const events = [];
    for (const e of await this.eventLog.eventsOf(owners)) {
      const key = await this.keys.keyOf(e.customerId);
      events.push({ eventId: e._id, customerId: e.customerId, type: e.type, occurredAt: e.occurredAt, payload: key ? this.sealing.openEvent(key, e.customerId, e._id, e.sealed) : '[erased]' });
    }
    events.sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt) || (a.eventId < b.eventId ? -1 : 1));
    await this.audit(principal, customerId, [...this.unmaskedFields(opened.state), 'events'], 'PIPL data-subject access request (export)');
    return {
      customerId,
      exportedAt: this.clock.now().toISOString(),
      profile: canonical(opened.state),
      figures: profileFigures(opened.state, this.config.rules),
      lookupKeys: piiKeysOf(opened.state, this.blindIndex),
      events,
    };
  }

  /** PIPL erasure (ProfileEraser); a second request answers 410, unless the first was cut short: then it finishes it. */
  async erase(customerId: string, principal: Principal, reason?: string) {
    const done = await this.locks.run(customerId, async () => {
      const fresh = await this.repository.loadFresh(customerId);
      if (!(fresh?.status === 'ERASED' && fresh.pendingAnnouncements)) {
        const opened = await this.open(customerId, principal);
        if ('merged' in opened) throw new ConflictException(`customer ${customerId} is merged into ${opened.merged.mergedInto}: erase that customer`);
      }
      return this.eraser.erase(fresh ?? undefined, customerId, principal.sub, this.clock.now().toISOString(), reason);
    });
    if (!done) throw new GoneException(`customer ${customerId} was erased`);
    return { customerId, status: 'ERASED', erasedAt: done.erasedAt, erasedBy: done.erasedBy, keysDestroyed: done.keysDestroyed };
  }

  private unmaskedFields(state: ProfileState): string[] {
    const id = state.identity as Record<string, unknown> | undefined;
    return [...PII_FIELDS.filter((f) => id?.[f] !== undefined), ...(state.products.some((p) => p.balance) ? ['balances'] : [])];
  }

  private async audit(principal: Principal, customerId: string, fields: string[], purpose: string): Promise<void> {
    if (!fields.length) return;
    const payload: PiiAccessed = { actor: principal.sub, roles: principal.roles, customerId, fields, purpose: purpose.slice(0, 500) };
    await this.publisher.publish(TOPICS.governance, newEnvelope('PiiAccessed', payload, { source: 'meridian-profile', customerId, occurredAt: this.clock.now().toISOString() }));
  }

  private shape(state: ProfileState, access: Access): CustomerView {
    const figures = profileFigures(state, this.config.rules);
    const id = state.identity;
    const balances = access === 'FULL';
    const view: CustomerView = {
      customerId: state.customerId,
      status: 'ACTIVE',
      access,
      version: state.version,
      ...(state.asOf && { asOf: state.asOf }),
      ...(id?.branchId && { branchId: id.branchId }),
      ...(id?.rmId && { rmId: id.rmId }),
      products: state.products.map((p) => ({
        productId: p.productId,
        productType: p.productType,
        productCode: p.productCode,
        status: p.closed && !(p.opened && Date.parse(p.opened.at) > Date.parse(p.closed.at)) ? 'CLOSED' : 'OPEN',
        ...(p.opened && { openedAt: p.opened.openedAt }),
        ...(p.closed && { closedAt: p.closed.closedAt }),
        ...(balances && p.balance && { balanceMinor: p.balance.minor, currency: p.balance.currency, balanceCnyMinor: p.balance.cnyMinor, balanceAsOf: p.balance.at }),
      })),
      figures: balances ? figures : maskedFigures(figures),
      ...(state.lastActivityAt && { lastActivityAt: state.lastActivityAt }),
      ...(state.lastTransactionAt && { lastTransactionAt: state.lastTransactionAt }),
      ...(state.mergedFrom.length && { mergedFrom: state.mergedFrom }),
    };
    if (id) {
      const masked = access === 'MASKED';
      view.identity = {
        name: masked ? maskName(id.name) : id.name,
        idType: id.idType,
        idNumber: masked ? maskIdNumber(id.idNumber) : id.idNumber,
        ...(id.phone && { phone: masked ? maskPhone(id.phone) : id.phone }),
        ...(id.email && { email: masked ? maskEmail(id.email) : id.email }),
        ...(id.birthDate && !masked && { birthDate: id.birthDate }),
        ...(id.gender && { gender: id.gender }),
        customerType: id.customerType,
        ...(id.riskTolerance && { riskTolerance: id.riskTolerance }),
      };
      // Source references are identity keys: FULL access only.
      if (!masked) view.sources = state.sources;
    }
    if (id?.consents) view.consents = id.consents;
    return view;
  }
}

/**
 * The figures a MASKED view may show (DOMAIN.md: no balances, AUM or amounts; the age band
 * but not the exact age, which gives the birth year away). An allow-list: a figure added
 * to the profile later stays hidden from tellers and service agents until it is listed here.
 */
export const MASKED_FIGURES = [
  'productsHeld',
  'firstProductAt',
  'productsClosed90d',
  'txnCount30d',
  'txnCount90d',
  'txnCountPrior60d',
  'crossBorder90d',
  'appLogins30d',
  'appLoginsPrior30d',
  'complaints90d',
  'latestCsat',
  'latestNps',
  'ageBand',
  'tags',
] as const satisfies ReadonlyArray<keyof ProfileFigures>;

export function maskedFigures(f: ProfileFigures): Partial<ProfileFigures> {
  return Object.fromEntries(MASKED_FIGURES.filter((k) => f[k] !== undefined).map((k) => [k, f[k]])) as Partial<ProfileFigures>;
}

/** A timeline entry: what happened, without PII, and amounts only for FULL access. */
function summarise(type: string, p: Record<string, unknown>, access: Access): Record<string, unknown> {
  const pick = (...keys: string[]) => Object.fromEntries(keys.filter((k) => p[k] !== undefined).map((k) => [k, p[k]]));
  const money = access === 'FULL';
  switch (type) {
    case 'CustomerUpserted':
      return pick('sourceSystem', 'customerType', 'branchId', 'rmId', 'riskTolerance');
    case 'ProductOpened':
    case 'ProductClosed':
      return pick('productId', 'productType', 'productCode', 'openedAt', 'closedAt');
    case 'BalanceSnapshot':
      return { ...pick('productId', 'productType', 'currency'), ...(money && pick('balanceMinor', 'balanceCnyMinor')) };
    case 'TransactionPosted':
      return { ...pick('transactionId', 'productType', 'direction', 'currency', 'channel', 'category', 'merchantName', 'counterpartyCountry'), ...(money && pick('amountMinor', 'amountCnyMinor')) };
    case 'InteractionRecorded':
      return pick('interactionId', 'channel', 'kind', 'topic', 'campaignId', 'ticketId', 'csat', 'nps');
    default:
      return pick('ticketId', 'category', 'priority', 'queue', 'level', 'reason', 'csat', 'nps');
  }
}

function encodeCursor(occurredAt: string, eventId: string): string {
  return Buffer.from(JSON.stringify([occurredAt, eventId])).toString('base64url');
}

/** A cursor as encodeCursor writes it; anything else (even decodable, e.g. a time that is no date) is not one. */
function decodeCursor(cursor: string): { occurredAt: string; eventId: string } | undefined {
  try {
    const [occurredAt, eventId] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [unknown, unknown];
    return isOffsetDateTime(occurredAt) && typeof eventId === 'string' && eventId.length > 0 ? { occurredAt: occurredAt as string, eventId } : undefined;
  } catch {
    return undefined;
  }
}

