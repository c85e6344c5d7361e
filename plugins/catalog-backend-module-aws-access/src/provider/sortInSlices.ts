import type { Sliced } from '@aws-access/plugin-aws-access-node/alpha';

/** Elements a step sorts with one sort() call before the runs are merged. */
const RUN = 512;
/** Elements a step merges. */
const MERGE_STEP = 1024;

/**
 * `[...items].sort(compare)` in steps of about a thousand comparisons (issue 18: one sort of 100,000 users by
 * localeCompare blocks the event loop for over 40 ms). Runs of {@link RUN} elements are sorted by
 * Array.prototype.sort, then merged pairwise, the left run winning ties. Both are stable, so the order is the one
 * sort() gives, ties included, for any consistent comparator.
 */
export function* sortInSlices<T>(
  items: readonly T[],
  compare: (a: T, b: T) => number,
): Sliced<T[]> {
  const n = items.length;
  let from = items.slice();
  for (let start = 0; start < n; start += RUN) {
    yield;
    const run = from.slice(start, start + RUN).sort(compare);
    for (let k = 0; k < run.length; k++) from[start + k] = run[k];
  }
  let to = new Array<T>(n);
  for (let width = RUN; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (k < hi) {
        yield;
        const end = Math.min(k + MERGE_STEP, hi);
        while (k < end) {
          if (j >= hi || (i < mid && compare(from[i], from[j]) <= 0)) {
            to[k++] = from[i++];
          } else {
            to[k++] = from[j++];
          }
        }
      }
    }
    [from, to] = [to, from];
  }
  return from;
}

/** The order sort() gives strings without a comparator: by UTF-16 code units. */
export function compareCodeUnits(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}
