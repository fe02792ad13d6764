import { Writable } from 'node:stream';

/** A destination for a real pino logger that keeps every line it writes, raw and parsed. */
export class LogLines extends Writable {
  readonly raw: string[] = [];

  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.raw.push(...chunk.toString('utf8').split('\n').filter((line) => line.length > 0));
    done();
  }

  text(): string {
    return this.raw.join('\n');
  }

  parsed(): Array<Record<string, unknown>> {
    return this.raw.map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}
