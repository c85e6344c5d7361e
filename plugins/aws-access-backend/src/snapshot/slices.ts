/**
 * Event-loop slicing (issue 18): one implementation, in the node library, shared with the catalog module. The
 * backend's steps import it from here.
 */
export {
  EventLoopSlices,
  SLICE_MS,
  runAtOnce,
  runInSlices,
} from '@aws-access/plugin-aws-access-node/alpha';
export type { Sliced } from '@aws-access/plugin-aws-access-node/alpha';
