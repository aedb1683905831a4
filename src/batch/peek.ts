// Looking at the first few items of a stream without losing them: the check command decides
// between checking in-process and starting workers by whether there is more than one input.
export interface Peeked<T> {
  head: T[];
  /** Everything, head included, in order. */
  all: AsyncIterable<T>;
}

export async function peek<T>(items: AsyncIterable<T>, n: number): Promise<Peeked<T>> {
  const it = items[Symbol.asyncIterator]();
  const head: T[] = [];
  let done = false;
  while (head.length < n) {
    const next = await it.next();
    if (next.done) {
      done = true;
      break;
    }
    head.push(next.value);
  }
  async function* all(): AsyncGenerator<T> {
    yield* head;
    if (done) return;
    // Delegate to the same iterator, so an early stop (return) reaches the underlying walk.
    yield* { [Symbol.asyncIterator]: () => it };
  }
  return { head, all: all() };
}
