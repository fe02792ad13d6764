import { setTimeout as sleep } from 'node:timers/promises';
import { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import { Clock } from '../clock/clock';
import { BlindIndex, FieldEncryption } from './field-encryption';
import { mismatchedKeys } from './key-check';
import { KeyProblem } from './master-key-ring';
import { checkMasterKeyRing } from './master-key-ring.repository';

export type CheckedKey = 'FIELD_ENCRYPTION_MASTER_KEY' | 'BLIND_INDEX_KEY';

/** EX_CONFIG, as for any other variable that is wrong. */
const EXIT_WRONG_KEY = 78;

/**
 * A service that holds sealed data or blind indexes refuses to run with keys its data was
 * not written with: once its database answers (start-up does not wait for it — /health says
 * it is down meanwhile), the keys are checked against the check values stored with the data,
 * and a mismatch stops the process, naming the variable.
 */
export class KeyCheckOnStart implements OnApplicationBootstrap, OnApplicationShutdown {
  private stopped = false;
  private recheck?: NodeJS.Timeout;
  private markVerified!: () => void;
  /** Settles once the keys were found to be the data's (never, if they are not: the process stops). Work that relies on the record — the re-wrap job — waits for it. */
  readonly verified = new Promise<void>((resolve) => (this.markVerified = resolve));

  constructor(
    private readonly service: string,
    private readonly checked: readonly CheckedKey[],
    private readonly connection: Connection,
    private readonly encryption: FieldEncryption,
    private readonly blindIndex: BlindIndex,
    private readonly clock: Clock,
    private readonly logger: Logger,
    /** KEY_RECHECK_SECONDS: a running instance checks again, so one whose key was rotated out by another's start stops. */
    private readonly recheckMs: number,
    private readonly exit: (code: number) => void = (code) => process.exit(code),
  ) {}

  onApplicationBootstrap(): void {
    if (this.checked.length) void this.verifyWhenReachable();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearInterval(this.recheck);
  }

  /**
   * Checks again every KEY_RECHECK_SECONDS (ADR 0008): after a rotation began (another instance
   * started with a new master key and this one listed as previous), this instance would go on
   * wrapping new data keys under the old key, which the re-wrap may already have walked past. It
   * stops instead, naming the variable, and comes back with the new configuration. A check that
   * cannot reach MongoDB is tried again at the next period.
   */
  private recheckPeriodically(): void {
    this.recheck = setInterval(() => {
      if (this.stopped || this.connection.readyState !== 1) return;
      this.verify(false).catch((error: Error) => this.logger.warn({ err: error.message }, 'key re-check failed; trying again later'));
    }, this.recheckMs);
    this.recheck.unref();
  }

  /** As soon as MongoDB answers — at start, or once it is back after an outage at start. */
  private async verifyWhenReachable(): Promise<void> {
    let warned = false;
    while (!this.stopped) {
      try {
        if (this.connection.readyState === 1) {
          await this.verify();
          return this.recheckPeriodically();
        }
      } catch (error) {
        if (!warned) this.logger.warn({ err: (error as Error).message }, 'key check not done yet; retrying while MongoDB does not answer');
        warned = true;
      }
      await sleep(1_000, undefined, { ref: false });
    }
  }

  async verify(atStart = true): Promise<void> {
    const problems: KeyProblem[] = [];
    const now = this.clock.now();
    // The master key is a ring (ADR 0008: current + previous keys); the blind-index key is one key.
    if (this.checked.includes('FIELD_ENCRYPTION_MASTER_KEY')) {
      const configured = { current: this.encryption.keyCheck(), previous: this.encryption.previousKeyChecks() };
      problems.push(...(await checkMasterKeyRing(this.connection, configured, now, atStart)));
    }
    if (this.checked.includes('BLIND_INDEX_KEY')) {
      for (const variable of await mismatchedKeys(this.connection, [{ variable: 'BLIND_INDEX_KEY', check: this.blindIndex.keyCheck() }], now)) {
        problems.push({ variable, message: `${variable} is not the key this service's data was written with: set the key it was written with` });
      }
    }
    if (!problems.length) return this.markVerified();
    const changed = atStart ? '' : 'the key record changed while this instance ran (another instance started with other keys): ';
    const message = `${changed}${problems.map((p) => p.message).join('; ')} (key checks in ${this.connection.name}.key_checks)`;
    this.logger.fatal(message);
    process.stderr.write(`${this.service}: ${message}\n`);
    this.exit(EXIT_WRONG_KEY);
  }
}
