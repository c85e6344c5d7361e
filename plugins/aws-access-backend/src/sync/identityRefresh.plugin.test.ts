import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type {
  SyncStatus,
  UserAccess,
} from '@aws-access/plugin-aws-access-common';
import { startTestEmulators } from '@aws-access/test-utils';
import request from 'supertest';
import { startAccessBackend } from '../__testUtils__/testBackend';
import { IDENTITY_REFRESH_TASK_ID } from './IdentityRefresh';

/*
 * The plugin with Entra: its refresh task reads Entra on its own, and a membership added in Entra shows in the API
 * (a pending grant) and on /sync/status without a full sync and without any AWS call.
 */

jest.setTimeout(120_000);

const TOM = 'user:default/tom_example.com';
const SARA = 'user:default/sara_example.com';

describe('aws-access with Entra refreshed on its own interval', () => {
  it('shows an Entra membership after the refresh task, with no AWS call and no full sync', async () => {
    const emulators = await startTestEmulators();
    const scheduler = mockServices.scheduler();
    let backend: Awaited<ReturnType<typeof startAccessBackend>> | undefined;
    try {
      backend = await startAccessBackend(emulators, {
        scheduler,
        configOverrides: { entra: { refreshEvery: { seconds: 30 } } },
      });
      const get = async <T>(path: string, caller: string): Promise<T> => {
        const response = await request(backend!.server)
          .get(`/api/aws-access${path}`)
          .set('Authorization', mockCredentials.user.header(caller));
        expect(response.status).toBe(200);
        return response.body;
      };
      const status = () => get<SyncStatus>('/sync/status', SARA);
      const powerUserGrants = async () =>
        (await get<UserAccess>('/me', TOM)).grants.filter(
          g => g.permissionSet.name === 'DeveloperPowerUser',
        );
      let first = await status();
      for (let i = 0; i < 100 && first.snapshotVersion === undefined; i++) {
        await new Promise(r => setTimeout(r, 100));
        first = await status();
      }
      expect(first.snapshotVersion).toBeDefined();
      expect(first.identityRefresh?.everySeconds).toBe(30);
      expect(await powerUserGrants()).toEqual([]);

      await emulators.control.addGroupMember(
        'AWS-Developers-PowerUser',
        'tom@example.com',
      );
      await emulators.control.resetCounters();
      void scheduler.triggerTask(IDENTITY_REFRESH_TASK_ID);
      let now = first;
      for (let i = 0; i < 100 && !now.identityRefresh?.lastCommit; i++) {
        await new Promise(r => setTimeout(r, 100));
        now = await status();
      }

      expect(now.identityRefresh?.lastCommit?.snapshotVersion).toBe(
        now.snapshotVersion,
      );
      expect(now.snapshotVersion).toBeGreaterThan(first.snapshotVersion!);
      const { totals } = await emulators.control.getCounters();
      expect([
        totals['sso-admin'],
        totals.identitystore,
        totals.organizations,
        totals.sts,
      ]).toEqual([0, 0, 0, 0]);
      expect(now.recentRuns.filter(r => r.trigger !== 'targeted')).toHaveLength(
        first.recentRuns.filter(r => r.trigger !== 'targeted').length,
      );
      const grants = await powerUserGrants();
      expect(grants.map(g => g.accountName).sort()).toEqual([
        'payments-dev',
        'payments-staging',
        'web-dev',
      ]);
      expect(grants.every(g => g.state === 'pending')).toBe(true);
    } finally {
      await backend?.stop();
      await emulators.close();
    }
  });
});
