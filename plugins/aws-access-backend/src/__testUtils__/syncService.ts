import type { SyncServiceOptions } from '../sync/SyncService';
import { SyncService } from '../sync/SyncService';

/**
 * A sync service on a test world's readers and logger, with the default mass-delete brake (20 %), a 90 s timeout and
 * a day of run history, and nothing listening to its commits; `options` states only what a test changes.
 */
export function createTestSyncService(
  world: Pick<SyncServiceOptions, 'sources' | 'logger'>,
  options: Pick<SyncServiceOptions, 'store'> & Partial<SyncServiceOptions>,
): SyncService {
  return SyncService.create({
    sources: world.sources,
    logger: world.logger,
    massDeleteThreshold: 0.2,
    massDeleteBrake: true,
    timeoutMs: 90_000,
    runHistoryMs: 86_400_000,
    onCommitted: async () => {},
    ...options,
  });
}
