import { Injectable } from '@nestjs/common';
import { CustomerMembers } from './ports/customer-members.port';
import { CustomerProfiles, ProfileFact } from './ports/customer-profiles.port';

/** The customer who holds a customer's records now, and everyone whose records they hold (themselves first). */
export interface CustomerHolder {
  customerId: string;
  owners: string[];
}

/** Pointers followed at most: profile's own limit on a merge chain (MAX_MERGE_CHAIN); a longer one is cut. */
const MAX_HOPS = 10;
/** Members a view lists at most for one holder: far beyond any person's duplicates (an erasure takes them all). */
const MAX_LISTED_OWNERS = 50;

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
    const path = [customerId];
    for (let hop = 0; hop < MAX_HOPS; hop++) {
      const at = path[path.length - 1];
      const fact = (await this.profiles.get([at])).get(at);
      const next = fact?.status === 'MERGED' ? fact.mergedInto : undefined;
      if (!next) break;
      if (path.includes(next)) {
        // A loop (pointers profile never leaves, but a lost or reordered fact could): whoever enters it, the same customer holds it.
        const loop = path.slice(path.indexOf(next));
        const holder = [...loop].sort()[0];
        return { customerId: holder, owners: await this.ownersOf(holder, MAX_LISTED_OWNERS) };
      }
      path.push(next);
    }
    const holder = path[path.length - 1];
    return { customerId: holder, owners: await this.ownersOf(holder, MAX_LISTED_OWNERS) };
  }

  /** The customers and everyone merged into them, pointers not followed up, none left out: whose records go with theirs (an erasure). */
  async heldBy(customerIds: readonly string[]): Promise<string[]> {
    const all = await Promise.all(customerIds.map((id) => this.ownersOf(id, Infinity)));
    return [...new Set(all.flat())];
  }

  /** The holder first, then every member whose pointer leads to it, level by level. */
  private async ownersOf(holderId: string, most: number): Promise<string[]> {
    const owners = [holderId];
    let level = [holderId];
    while (level.length && owners.length < most) {
      const candidates = await this.members.of(level);
      const named = [...new Set([...candidates.values()].flat())].filter((m) => !owners.includes(m));
      const facts = await this.profiles.get(named);
      const next = named.filter((m) => level.some((h) => pointsAt(facts.get(m), h) && candidates.get(h)?.includes(m)));
      owners.push(...next.slice(0, most - owners.length));
      level = next;
    }
    return owners;
  }
}
