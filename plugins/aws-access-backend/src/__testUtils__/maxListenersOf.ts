/**
 * How many listeners `signal` takes before Node warns of a leak (10 by default; 0 is no limit). Read from the
 * property Node's `setMaxListeners` writes: `getMaxListeners` throws on 0, and under Jest a warning goes to the real
 * process, which the test cannot listen to.
 */
export function maxListenersOf(signal: AbortSignal): unknown {
  const key = Object.getOwnPropertySymbols(signal).find(
    s => s.description === 'events.maxEventTargetListeners',
  );
  if (!key) throw new Error('This Node.js keeps no listener limit on signals');
  return (signal as unknown as Record<symbol, unknown>)[key];
}
