import { Injectable } from '@nestjs/common';
import { CustomerMembers } from './ports/customer-members.port';
import { CustomerProfiles, ProfileFact } from './ports/customer-profiles.port';

/** The customer who holds a customer's records now, and everyone whose records they hold (themselves first). */
export interface CustomerHolder {
  customerId: string;
  owners: string[];
}

/** Pointers followed at most: profile keeps chains short (a merge goes to the chain's end); a longer one is cut. */
const MAX_HOPS = 8;
/** Members gathered at most for one holder: far beyond any person's duplicates. */
const MAX_OWNERS = 50;

const pointsAt = (fact: ProfileFact | undefined, holderId: string) => fact?.status === 'MERGED' && fact.mergedInto === holderId;

/**
 * Who holds a customer's records at the desk, as profile resolved the merges (ProfileUpdated
 * MERGED and `mergedInto`, ADR 0012): themselves, or the customer their pointers lead to, with
 * everyone whose pointers lead there. Read by `_id` and key; a member whose pointer has moved on
 * is not counted, and a loop stops where it closes.
 */
@Injectable()
export class CustomerHolders {
  constructor(
    private readonly profiles: CustomerProfiles,
    private readonly members: CustomerMembers,
  ) {}

  async of(customerId: string): Promise<CustomerHolder> {
    const seen = new Set([customerId]);
    let at = customerId;
    for (let hop = 0; hop < MAX_HOPS; hop++) {
      const fact = (await this.profiles.get([at])).get(at);
      const next = fact?.status === 'MERGED' ? fact.mergedInto : undefined;
      if (!next || seen.has(next)) break;
      seen.add(next);
      at = next;
    }
    return { customerId: at, owners: await this.ownersOf(at) };
  }

  /** The customers and everyone merged into them, pointers not followed up: whose records go with theirs (an erasure). */
  async heldBy(customerIds: readonly string[]): Promise<string[]> {
    const all = await Promise.all(customerIds.map((id) => this.ownersOf(id)));
    return [...new Set(all.flat())];
  }

  /** The holder first, then every member whose pointer leads to it, level by level. */
  private async ownersOf(holderId: string): Promise<string[]> {
    const owners = [holderId];
    let level = [holderId];
    while (level.length && owners.length < MAX_OWNERS) {
      const candidates = await this.members.of(level);
      const named = [...new Set([...candidates.values()].flat())].filter((m) => !owners.includes(m));
      const facts = await this.profiles.get(named);
      const next = named.filter((m) => level.some((h) => pointsAt(facts.get(m), h) && candidates.get(h)?.includes(m)));
      owners.push(...next.slice(0, MAX_OWNERS - owners.length));
      level = next;
    }
    return owners;
  }
}
