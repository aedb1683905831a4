// A promise given a deadline that does not fail: after `ms` the fallback is used instead and the
// original promise is left to settle on its own (a stalled file-system call cannot be cancelled).

export function settleWithin<T>(p: Promise<T>, ms: number, fallback: T): Promise<T> {
  if (!Number.isFinite(ms) || ms <= 0) return p;
  let timer: NodeJS.Timeout | undefined;
  const giveUp = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  return Promise.race([p, giveUp]).finally(() => clearTimeout(timer));
}
