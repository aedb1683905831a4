// Process exit codes: part of the scripting contract (documented in --help and README).
export const EXIT = {
  ok: 0,
  /** At least one input got the verdict selected by --fail-on (fail by default). */
  failed: 1,
  /** Bad usage or configuration: unknown option, profile, cause code, unwritable output. */
  usage: 2,
  /** Nothing failed, but at least one input could not be analyzed (an `error` result). */
  incomplete: 3,
} as const;

export class UsageError extends Error {
  override name = 'UsageError';
}
