/**
 * The Redis keys of the data segmentation derives from segment_states (ADR 0009), in one
 * place: the adapters that keep them as writes settle, and the rebuild that makes them anew
 * under `<prefix>seg:rebuild:<build>:` before swapping them in.
 */
export class DerivedKeys {
  constructor(readonly base: string) {}

  /** Counters by tier, stage, branch, products held by tier, segment sizes. */
  get counters(): string {
    return `${this.base}counters`;
  }
  /** Per customer, the newest write whose effects are applied. */
  get applied(): string {
    return `${this.base}applied`;
  }
  get membersPrefix(): string {
    return `${this.base}members:`;
  }
  members(segmentId: string): string {
    return this.membersPrefix + segmentId;
  }
  get duePrefix(): string {
    return `${this.base}due:`;
  }
  due(partition: number): string {
    return this.duePrefix + partition;
  }
  /** A build's own: set when it begins, checked and removed by its swap (fresh keys wiped meanwhile: no swap). */
  get sentinel(): string {
    return `${this.base}sentinel`;
  }
  /** Per customer, the write its due entry was computed from. */
  get dueRevs(): string {
    return `${this.duePrefix}revs`;
  }
}

/** The live keys (`<prefix>seg:`), the marker that says they are built, and the rebuild's lease and fresh keys. */
export class LiveDerivedKeys extends DerivedKeys {
  constructor(redisPrefix: string) {
    super(`${redisPrefix}seg:`);
  }

  /** Set last by a rebuild, with when and by whom; missing: the data is not built (Redis lost it, or never had it). */
  get marker(): string {
    return `${this.base}built`;
  }
  get lease(): string {
    return `${this.base}rebuild-lock`;
  }
  get freshPrefix(): string {
    return `${this.base}rebuild:`;
  }
  fresh(buildId: string): DerivedKeys {
    return new DerivedKeys(`${this.freshPrefix}${buildId}:`);
  }
}

/** Lua: refuses (the error DerivedDataMissing stands for) unless the marker key is there. */
export const REFUSE_UNLESS_BUILT = (markerKey: string) => `if redis.call('EXISTS', ${markerKey}) == 0 then return redis.error_reply('DERIVED_DATA_MISSING') end`;

export const isDerivedDataMissing = (error: unknown) => error instanceof Error && error.message.includes('DERIVED_DATA_MISSING');
