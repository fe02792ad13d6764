import { setTimeout as sleep } from 'node:timers/promises';
import { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import { Clock } from '../clock/clock';
import { BlindIndex, FieldEncryption } from './field-encryption';
import { KeyInUse, mismatchedKeys } from './key-check';

export type CheckedKey = KeyInUse['variable'];

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

  constructor(
    private readonly service: string,
    private readonly checked: readonly CheckedKey[],
    private readonly connection: Connection,
    private readonly encryption: FieldEncryption,
    private readonly blindIndex: BlindIndex,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly exit: (code: number) => void = (code) => process.exit(code),
  ) {}

  onApplicationBootstrap(): void {
    if (this.checked.length) void this.verifyWhenReachable();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
  }

  /** As soon as MongoDB answers — at start, or once it is back after an outage at start. */
  private async verifyWhenReachable(): Promise<void> {
    let warned = false;
    while (!this.stopped) {
      try {
        if (this.connection.readyState === 1) return await this.verify();
      } catch (error) {
        if (!warned) this.logger.warn({ err: (error as Error).message }, 'key check not done yet; retrying while MongoDB does not answer');
        warned = true;
      }
      await sleep(1_000, undefined, { ref: false });
    }
  }

  async verify(): Promise<void> {
    const keys: KeyInUse[] = this.checked.map((variable) => ({
      variable,
      check: variable === 'FIELD_ENCRYPTION_MASTER_KEY' ? this.encryption.keyCheck() : this.blindIndex.keyCheck(),
    }));
    const wrong = await mismatchedKeys(this.connection, keys, this.clock.now());
    if (!wrong.length) return;
    const message = `${wrong.join(' and ')} ${wrong.length > 1 ? 'are' : 'is'} not the key this service's data was written with (key check in ${this.connection.name}.key_checks): set the key it was written with`;
    this.logger.fatal(message);
    process.stderr.write(`${this.service}: ${message}\n`);
    this.exit(EXIT_WRONG_KEY);
  }
}
