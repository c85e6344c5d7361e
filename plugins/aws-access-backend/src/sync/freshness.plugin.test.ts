import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type {
  SyncStatus,
  UserAccess,
} from '@aws-access/plugin-aws-access-common';
import { startTestEmulators } from '@aws-access/test-utils';
import request from 'supertest';
import { startAccessBackend } from '../__testUtils__/testBackend';
import { IDENTITY_REFRESH_TASK_ID } from './IdentityRefresh';
import { SYNC_TASK_ID } from './SyncService';

/*
 * Freshness side by side: while the full sync keeps failing on AWS, Entra's own refresh keeps committing. Those
 * commits must not make the AWS side look fresh: once it is older than staleAfter, the API says stale, with the
 * AWS side's age, and names it.
 */

jest.setTimeout(120_000);

const TOM = 'user:default/tom_example.com';
const SARA = 'user:default/sara_example.com';
const STALE_AFTER_MS = 4_000;

describe('aws-access freshness with a failing full sync and a working Entra refresh', () => {
  it('says stale and names the AWS side, whatever Entra refreshes commit', async () => {
    const emulators = await startTestEmulators();
    const scheduler = mockServices.scheduler();
    let backend: Awaited<ReturnType<typeof startAccessBackend>> | undefined;
    try {
      backend = await startAccessBackend(emulators, {
        scheduler,
        configOverrides: {
          entra: { refreshEvery: { seconds: 30 } },
          staleAfter: { milliseconds: STALE_AFTER_MS },
        },
      });
      const get = async <T>(path: string, caller: string): Promise<T> => {
        const response = await request(backend!.server)
          .get(`/api/aws-access${path}`)
          .set('Authorization', mockCredentials.user.header(caller));
        expect(response.status).toBe(200);
        return response.body;
      };
      const status = () => get<SyncStatus>('/sync/status', SARA);
      const waitFor = async (done: (s: SyncStatus) => boolean) => {
        let now = await status();
        for (let i = 0; i < 200 && !done(now); i++) {
          await new Promise(r => setTimeout(r, 100));
          now = await status();
        }
        expect(done(now)).toBe(true);
        return now;
      };
      const first = await waitFor(s => s.snapshotVersion !== undefined);
      // A full sync read both sides together: no side is older.
      expect(first.sides?.identity).toBe(first.sides?.aws);
      expect(first.sides?.older).toBeUndefined();

      // Every full sync from now on fails on AWS.
      await emulators.control.injectFault({
        service: 'organizations',
        operation: '*',
        kind: 'access-denied',
        times: 1000,
      });
      void scheduler.triggerTask(SYNC_TASK_ID);
      await waitFor(s => s.lastRun?.outcome === 'failed');

      // Past staleAfter for the full read, Entra changes and its refresh commits.
      const fullReadAt = Date.parse(first.sides!.aws);
      await new Promise(r =>
        setTimeout(
          r,
          Math.max(0, fullReadAt + STALE_AFTER_MS + 500 - Date.now()),
        ),
      );
      await emulators.control.addGroupMember(
        'AWS-Developers-PowerUser',
        'tom@example.com',
      );
      void scheduler.triggerTask(IDENTITY_REFRESH_TASK_ID);
      const refreshed = await waitFor(
        s =>
          s.identityRefresh?.lastCommit !== undefined &&
          s.snapshotVersion === s.identityRefresh.lastCommit.snapshotVersion,
      );
      expect(refreshed.snapshotVersion).toBeGreaterThan(first.snapshotVersion!);

      expect(refreshed.stale).toBe(true);
      expect(refreshed.sides).toEqual({
        identity: expect.any(String),
        aws: first.sides!.aws,
        older: 'aws',
      });
      expect(Date.parse(refreshed.sides!.identity)).toBeGreaterThan(
        fullReadAt + STALE_AFTER_MS,
      );
      expect(refreshed.snapshotAge).toBeGreaterThanOrEqual(
        STALE_AFTER_MS / 1000,
      );

      const me = await get<UserAccess>('/me', TOM);
      // The Entra change shows (the refresh was committed), and the summary still says how old AWS is.
      expect(
        me.grants.some(
          g =>
            g.permissionSet.name === 'DeveloperPowerUser' &&
            g.state === 'pending',
        ),
      ).toBe(true);
      expect(me.sync).toMatchObject({
        stale: true,
        syncedAt: first.sides!.aws,
        sides: { aws: first.sides!.aws, older: 'aws' },
      });
      expect(me.sync.snapshotAge).toBeGreaterThanOrEqual(STALE_AFTER_MS / 1000);
    } finally {
      await backend?.stop();
      await emulators.close();
    }
  });
});
