/**
 * Counts the event loop's turns (one setImmediate each) until stopped: how often other work got to run while
 * something that should give the event loop turns (work in slices, a streamed response) was running.
 */
export function turnCounter(): { stop(): number } {
  let turns = 0;
  let running = true;
  const tick = () => {
    turns++;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  return {
    stop: () => {
      running = false;
      return turns;
    },
  };
}
