/**
 * Issue 18's goals (scale), judged from one bench result: no sync blocks the shared backend, every sync's memory
 * stays bounded, and a 200-member team's page serves at least the catalog's by-name throughput. Every sync in the
 * run counts (cold, steady, rate-limited).
 */
type Result = Record<string, any>;

/** The limits of a size: `envelope` has its own; `small` and `large` are held to `large`'s. */
export function scaleLimits(size: string) {
  return size === 'envelope'
    ? { blockMs: 200, rssMB: 512 }
    : { blockMs: 100, rssMB: 256 };
}

const SYNCS = [
  ['cold', 'coldSync'],
  ['steady', 'steadySync'],
  ['rate-limited', 'rateLimitedSync'],
] as const;

const fmt = (n: number | undefined) =>
  n === undefined ? '–' : Math.round(n).toLocaleString('en-US');

const signedMB = (bytes: number | undefined) =>
  bytes === undefined
    ? '–'
    : `${bytes < 0 ? '−' : '+'}${fmt(Math.abs(bytes) / 2 ** 20)}`;

/** A sync's live-heap growth beside its RSS: at its peak during the sync, and what the sync retained. */
export function liveHeapGrowth(liveHeap: Result | undefined): string {
  return liveHeap
    ? `live heap ${signedMB(liveHeap.peakGrowthBytes)} MB at peak, ${signedMB(
        liveHeap.retainedGrowthBytes,
      )} MB retained`
    : 'live heap –';
}

/**
 * The four goals, always in this order (blocks, probe, memory, team page), each as [met, text]: met is undefined
 * when the run did not measure it.
 */
export function scaleGoals(r: Result): [boolean | undefined, string][] {
  const limits = scaleLimits(r.size);
  const syncs = SYNCS.filter(([, key]) => r[key]).map(
    ([label, key]) => [label, r[key]] as const,
  );
  const goals: [boolean | undefined, string][] = [];

  // The backend's own monitor where the run has it; older runs only have the probe, which also counts the harness.
  const blocks = syncs.map(([label, sync]) => {
    const own = sync.responsiveness?.eventLoop?.maxMs;
    return {
      label,
      ms: own ?? sync.responsiveness?.maxMs,
      own: own !== undefined,
      gcMs: sync.responsiveness?.eventLoop?.gcMaxMs,
      readingMs: sync.responsiveness?.eventLoopWhileReading?.maxMs,
      afterReadingMs: sync.responsiveness?.eventLoopAfterReading?.maxMs,
    };
  });
  const measuredBlocks = blocks.filter(b => b.ms !== undefined);
  goals.push([
    measuredBlocks.length
      ? measuredBlocks.every(b => b.ms! <= limits.blockMs)
      : undefined,
    `Issue 18 never stall: the longest event-loop block of every sync ≤ ${
      limits.blockMs
    } ms: ${measuredBlocks
      .map(
        b =>
          `${b.label} ${fmt(b.ms)} ms${
            b.gcMs !== undefined ? ` (longest GC pause ${fmt(b.gcMs)} ms)` : ''
          }${
            b.readingMs !== undefined || b.afterReadingMs !== undefined
              ? ` [reading ${fmt(b.readingMs)} ms, after reading ${fmt(
                  b.afterReadingMs,
                )} ms]`
              : ''
          }`,
      )
      .join(', ')}${
      measuredBlocks.every(b => b.own)
        ? " (the backend's own event-loop monitor)"
        : ' (the health probe from the harness)'
    }.`,
  ]);

  const probes = syncs.filter(
    ([, sync]) => sync.responsiveness?.idle?.p50Ms !== undefined,
  );
  goals.push([
    probes.length === 0
      ? undefined
      : probes.every(
          ([, sync]) =>
            sync.responsiveness.p99Ms <= 3 * sync.responsiveness.idle.p50Ms,
        ),
    `Issue 18 health probe p99 during a sync ≤ 3× its idle median: ${
      probes
        .map(
          ([label, sync]) =>
            `${label} ${fmt(sync.responsiveness.p99Ms)} ms vs idle ${fmt(
              sync.responsiveness.idle.p50Ms,
            )} ms`,
        )
        .join(', ') || 'no idle baseline in this run'
    }.`,
  ]);

  const memory = syncs.filter(
    ([, sync]) => sync.rss?.growthBytes !== undefined,
  );
  goals.push([
    memory.length === 0
      ? undefined
      : memory.every(
          ([, sync]) => sync.rss.growthBytes <= limits.rssMB * 2 ** 20,
        ),
    `Issue 18 bounded memory: peak RSS growth of every sync ≤ ${
      limits.rssMB
    } MB: ${memory
      .map(
        ([label, sync]) =>
          `${label} ${fmt(sync.rss.growthBytes / 2 ** 20)} MB (${liveHeapGrowth(
            sync.liveHeap,
          )})`,
      )
      .join(
        ', ',
      )}. Peak RSS also depends on when V8 chooses to collect; the live heap (V8's used heap after a major GC) counts only what the backend still holds.`,
  ]);

  const team = r.serving?.concurrent?.group?.requestsPerSecond;
  const catalog = r.serving?.concurrent?.catalogByName?.requestsPerSecond;
  goals.push([
    team === undefined || catalog === undefined ? undefined : team >= catalog,
    `Issue 18 team page: a ${fmt(
      r.servingSubjects?.groupDirectMembers,
    )}-member group at 50 connections serves at least the catalog by-name's throughput: ${fmt(
      team,
    )} vs ${fmt(catalog)} requests/s.`,
  ]);
  return goals;
}
