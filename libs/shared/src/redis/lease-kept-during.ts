/**
 * Runs `work` while renewing a lease the caller holds every `everyMs` — for a pass whose
 * waits the caller cannot interleave renewals with (one cursor, whose first page on FerretDB v1
 * costs a full scan and sort). A renewal that fails (answers false or throws) is remembered,
 * and once `work` ends the pass throws it: the lease lapsed meanwhile, so what it did must not
 * be taken as the holder's.
 */
export async function leaseKeptDuring<T>(renew: () => Promise<boolean>, everyMs: number, work: () => Promise<T>): Promise<T> {
  let lost: Error | undefined;
  const keep = () =>
    renew().then(
      (held) => void (held || (lost ??= new Error('the lease lapsed during the pass (another holder has it now)'))),
      (error: Error) => void (lost ??= error),
    );
  const timer = setInterval(() => void keep(), everyMs);
  timer.unref();
  try {
    const result = await work();
    if (lost) throw lost;
    return result;
  } finally {
    clearInterval(timer);
  }
}
