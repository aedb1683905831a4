// SIGINT/SIGTERM during a batch: the first one stops taking new inputs and lets the files in
// flight finish and be written (so nothing already paid for is lost and the output stays whole);
// a second one exits at once. Either way each finished line is already complete on disk, so a
// later --resume redoes only what was never written.

/** Conventional shell exit codes for a run stopped by a signal: 128 + the signal number. */
export const INTERRUPT_EXIT: Record<'SIGINT' | 'SIGTERM', number> = { SIGINT: 130, SIGTERM: 143 };

export type StopReason = keyof typeof INTERRUPT_EXIT;

export interface StopSignal {
  /** Set once the first signal arrived. */
  readonly reason: StopReason | undefined;
  /** Resolves on the first signal (never rejects). */
  readonly requested: Promise<StopReason>;
  /** Stop listening (the run is over). */
  dispose(): void;
}

export function listenForStop(onFirst?: (reason: StopReason) => void): StopSignal {
  let reason: StopReason | undefined;
  let resolve!: (r: StopReason) => void;
  const requested = new Promise<StopReason>((r) => (resolve = r));
  const handler = (sig: NodeJS.Signals) => {
    const r = sig as StopReason;
    if (reason) process.exit(INTERRUPT_EXIT[r]); // second signal: the user means it
    reason = r;
    onFirst?.(r);
    resolve(r);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    get reason() {
      return reason;
    },
    requested,
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
