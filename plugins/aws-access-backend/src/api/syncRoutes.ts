import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  awsAccessSnapshotApprovePermission,
  awsAccessSyncTriggerPermission,
} from '@aws-access/plugin-aws-access-common';
import { SYNC_TASK_ID } from '../sync/SyncService';
import type { ApiContext, AwsAccessRouter } from './ApiContext';
import { buildSyncStatus } from './views/syncStatus';

/** The sync: its status, starting one now, and approving a snapshot the mass-delete brake held back. */
export function syncRoutes(router: AwsAccessRouter, api: ApiContext) {
  const {
    access,
    store,
    cache,
    sync,
    scheduler,
    staleAfterMs,
    identitySource,
    changeEvents,
    identityRefresh,
  } = api.options;

  router.get('/sync/status', async (req, res) => {
    await access.caller(req);
    res.json(
      await buildSyncStatus({
        store,
        cache,
        now: api.now(),
        staleAfterMs,
        identitySource,
        changeEvents,
        identityRefresh,
      }),
    );
  });

  router.post('/sync', async (req, res) => {
    // Services (the catalog module, external access) and users alike need the permission to start a sync.
    const caller = await access.caller(req, {
      servicePermission: awsAccessSyncTriggerPermission,
    });
    const event = await api.audit(req, {
      eventId: 'sync-trigger',
      severityLevel: 'medium',
    });
    await api.requirePermission(
      caller,
      awsAccessSyncTriggerPermission,
      'start a sync',
      event,
    );
    await api.refusing(event, () =>
      scheduler.triggerTask(SYNC_TASK_ID).catch(error => {
        if ((error as Error).name === 'ConflictError')
          throw new ConflictError('A sync is already running');
        throw error;
      }),
    );
    await event.success();
    res.status(202).json({
      accepted: true,
      message: 'A sync starts within seconds; follow it on /sync/status',
    });
  });

  router.post('/sync/held/approve', async (req, res) => {
    const caller = await access.caller(req, { userOnly: true });
    const event = await api.authorize(req, caller, {
      permission: awsAccessSnapshotApprovePermission,
      what: 'approve a held snapshot',
      audit: { eventId: 'snapshot-approve', severityLevel: 'high' },
    });
    const run = await api.refusing(event, () => sync.approveHeld());
    if (!run) {
      await event.fail({ error: new NotFoundError('nothing held') });
      throw new NotFoundError('No snapshot is held back');
    }
    await event.success({ meta: { snapshotVersion: run.snapshotVersion } });
    res.json({ run });
  });
}
