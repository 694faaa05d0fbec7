/**
 * In-process mutual exclusion per key, first come first served: `withLock(key, fn)` runs `fn` after
 * every earlier holder of `key` has finished. Keys are forgotten when nobody holds or waits for them.
 */
export type KeyedLock = <T>(key: string | undefined, fn: () => Promise<T>) => Promise<T>;

export function createKeyedLock(): KeyedLock {
  const tails = new Map<string, Promise<void>>();
  return async (key, fn) => {
    if (key === undefined) return fn();
    const previous = tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    tails.set(key, tail);
    try {
      await previous;
      return await fn();
    } finally {
      release();
      if (tails.get(key) === tail) tails.delete(key);
    }
  };
}
