/**
 * Event-loop slicing, and JSON parsed in slices, shared by the AWS access plugins' own backend packages (the
 * backend plugin and the catalog module). Alpha: not a stable API for other plugins; it may change in any release.
 *
 * @packageDocumentation
 */

export { EventLoopSlices, SLICE_MS, runAtOnce, runInSlices } from './slices';
export type { Sliced } from './slices';
export { parseJsonInSlices } from './parseJsonInSlices';
