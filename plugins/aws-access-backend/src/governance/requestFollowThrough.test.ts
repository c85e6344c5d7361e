import {
  TestDatabases,
  mockCredentials,
  mockServices,
} from '@backstage/backend-test-utils';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import type { SchedulerService } from '@backstage/backend-plugin-api';
import { notificationService } from '@backstage/plugin-notifications-node';
import type {
  AccessRequest,
  RequestHistoryEntry,
  UserAccess,
} from '@aws-access/plugin-aws-access-common';
import {
  entraGroupEntityRef,
  entraUserEntityRef,
  isActive,
} from '@aws-access/plugin-aws-access-common';
import type { Emulators } from '@aws-access/emulators';
import { eventually, startTestEmulators } from '@aws-access/test-utils';
import request from 'supertest';
import { startAccessBackend } from '../__testUtils__/testBackend';
import { REQUEST_WORKER_TASK_ID } from './RequestWorker';

/*
 * The follow-through end to end: the real backend (the worker as its scheduled task, the real Entra writers and
 * provision-on-demand) against the emulators. Each case is asked for PT1M and approved by an Entra owner of the
 * group, becomes usable in AWS, and the backend is stopped before the expiry; a new backend on the same database
 * ends them: the expiry is not lost. In `membership` mode the worker removes the member; in `pim` mode Entra ends
 * the assignment at its expiry on its own.
 */

jest.setTimeout(240_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const as = (ref: string) => mockCredentials.user.header(ref);

function refs(emulators: Emulators) {
  const { users, groups } = emulators.scenario.entra;
  const user = (upn: string) => {
    const u = users.find(x => x.upn === upn)!;
    return {
      id: u.id,
      ref: entraUserEntityRef({ mail: u.mail, userPrincipalName: u.upn }),
    };
  };
  const group = (name: string) => {
    const g = groups.find(x => x.name === name)!;
    return {
      id: g.id,
      name: g.name,
      ref: entraGroupEntityRef({
        displayName: g.name,
        securityEnabled: g.securityEnabled,
        mailNickname: g.mailNickname,
      }),
    };
  };
  return {
    aamir: user('aamir@example.com'),
    tom: user('tom@example.com'),
    maria: user('maria@example.com'),
    sara: user('sara@example.com'),
    powerUser: group('AWS-Developers-PowerUser'),
    admin: group('AWS-Developers-Admin'),
  };
}

/** What the emulators hold now: Entra's direct members and Identity Center's members (by user name). */
async function clouds(emulators: Emulators, groupName: string) {
  const state = await emulators.control.getState();
  const entra = state.entra.groups.find(g => g.name === groupName)!;
  const idc = state.identityCenter.groups.find(
    g => g.displayName === groupName,
  )!;
  const userNames = new Map(
    state.identityCenter.users.map(u => [u.userId, u.userName]),
  );
  return {
    entra: entra.members,
    aws: idc.members.map(id => userNames.get(id) ?? id),
  };
}

async function start(
  emulators: Emulators,
  knex: Awaited<ReturnType<typeof databases.init>>,
) {
  const scheduler = mockServices.scheduler();
  const sent: Array<{ to: unknown; title: string }> = [];
  const r = refs(emulators);
  const backend = await startAccessBackend(emulators, {
    scheduler,
    configOverrides: {
      governance: {
        mode: 'membership',
        policies: [
          {
            group: r.powerUser.ref,
            requesters: 'everyone',
            approvers: ['group-owners'],
            maxDuration: 'PT4H',
            justification: 'required',
          },
          {
            group: r.admin.ref,
            requesters: 'everyone',
            approvers: ['group-owners'],
            maxDuration: 'PT1H',
            justification: 'required',
            mode: 'pim',
          },
        ],
      },
    },
    extraFeatures: [
      mockServices.database.factory({ knex }),
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => ({
          send: async (options: any) => {
            sent.push({
              to: options.recipients.entityRef,
              title: options.payload.title,
            });
          },
        }),
      }),
    ],
  });
  return { backend, scheduler, sent, api: request(backend.server) };
}

type Started = Awaited<ReturnType<typeof start>>;

/** Runs the worker task (as the scheduler would, every few seconds) until every request is in `state`. */
async function workUntil<T extends { state: string; error?: string }>(
  started: Started,
  read: () => Promise<T[]>,
  state: string,
  timeoutMs = 60_000,
): Promise<T[]> {
  return eventually(async () => {
    await (started.scheduler as SchedulerService).triggerTask(
      REQUEST_WORKER_TASK_ID,
    );
    const requests = await read();
    if (requests.some(r => r.state !== state))
      throw new Error(
        `not all ${state}: ${requests
          .map(r => `${r.state}${r.error ? ` (${r.error})` : ''}`)
          .join(', ')}`,
      );
    return requests;
  }, timeoutMs);
}

async function getRequest(started: Started, who: string, id: string) {
  const response = await started.api
    .get(`/api/aws-access/requests/${id}`)
    .set('Authorization', as(who));
  expect(response.status).toBe(200);
  return response.body as AccessRequest & { history: RequestHistoryEntry[] };
}

/** One request of the run: who asks for which group, in which mode, and which owner of the group approves. */
interface Case {
  requester: 'aamir' | 'tom';
  upn: string;
  group: 'powerUser' | 'admin';
  groupName: string;
  mode: 'membership' | 'pim';
  approver: 'maria' | 'sara';
}

const CASES: Case[] = [
  {
    requester: 'aamir',
    upn: 'aamir@example.com',
    group: 'powerUser',
    groupName: 'AWS-Developers-PowerUser',
    mode: 'membership',
    approver: 'maria',
  },
  {
    requester: 'tom',
    upn: 'tom@example.com',
    group: 'admin',
    groupName: 'AWS-Developers-Admin',
    mode: 'pim',
    approver: 'sara',
  },
];

/** Asks for every case's group through the API, and has the group's owner approve it; the request ids. */
async function askAndApprove(
  started: Started,
  r: ReturnType<typeof refs>,
  duration: string,
): Promise<string[]> {
  const ids: string[] = [];
  for (const c of CASES) {
    const asked = await started.api
      .post('/api/aws-access/requests')
      .set('Authorization', as(r[c.requester].ref))
      .send({ group: r[c.group].ref, duration, justification: 'INC-7 outage' });
    expect(asked.status).toBe(201);
    expect(asked.body.mode).toBe(c.mode);
    const approved = await started.api
      .post(`/api/aws-access/requests/${asked.body.id}/approve`)
      .set('Authorization', as(r[c.approver].ref))
      .send({ note: 'go' });
    expect(approved.status).toBe(200);
    ids.push(asked.body.id);
  }
  return ids;
}

describe('access requests, followed through to AWS', () => {
  it(`${CASES.map(c => c.mode).join(
    ' and ',
  )}: approved → usable in AWS → expired → gone from AWS, across a backend restart`, async () => {
    const emulators = await startTestEmulators();
    const knex = await databases.init('SQLITE_3');
    const r = refs(emulators);
    let started: Started | undefined = await start(emulators, knex);
    try {
      const ids = await askAndApprove(started, r, 'PT1M');
      const all = () =>
        Promise.all(
          ids.map((id, i) =>
            getRequest(started!, r[CASES[i].requester].ref, id),
          ),
        );

      // Usable: the requests turn active only when AWS shows the grants, and /me says which request gave them.
      const active = await workUntil(started, all, 'active');
      for (const a of active)
        process.stdout.write(
          `${a.mode}: approval → active ${
            (Date.parse(a.grantedAt!) - Date.parse(a.decidedAt!)) / 1000
          } s\n`,
        );
      for (const [i, c] of CASES.entries()) {
        expect(await clouds(emulators, c.groupName)).toMatchObject({
          entra: expect.arrayContaining([c.upn]),
          aws: expect.arrayContaining([c.upn]),
        });
        const me = (
          await started.api
            .get('/api/aws-access/me')
            .set('Authorization', as(r[c.requester].ref))
        ).body as UserAccess;
        const viaRequest = me.grants.filter(g => g.request?.id === ids[i]);
        expect(viaRequest.length).toBeGreaterThan(0);
        expect(viaRequest.every(g => isActive(g.state))).toBe(true);
        expect(viaRequest[0].request).toMatchObject({
          state: 'active',
          approvedBy: [r[c.approver].ref],
          expiresAt: active[i].expiresAt,
        });
        // Told when usable; no warning before an expiry that is this close (the "usable" one said when).
        const toRequester = started.sent
          .filter(
            n => JSON.stringify(n.to) === JSON.stringify([r[c.requester].ref]),
          )
          .map(n => n.title);
        expect(toRequester).toEqual([
          `Your request for ${c.groupName} for PT1M was approved`,
          `Your access through ${c.groupName} is ready in AWS`,
        ]);
      }

      // The backend goes down before the expiry and comes back after it.
      await started.backend.stop();
      started = undefined;
      const last = Math.max(...active.map(a => Date.parse(a.expiresAt!)));
      await new Promise(resolve =>
        setTimeout(resolve, Math.max(0, last - Date.now() + 1000)),
      );
      started = await start(emulators, knex);

      const ended = await workUntil(started, all, 'ended');
      for (const [i, c] of CASES.entries()) {
        expect(ended[i].history.map(h => h.to)).toEqual([
          'submitted',
          'approved',
          'granting',
          'active',
          'revoking',
          'ended',
        ]);
        const now = await clouds(emulators, c.groupName);
        expect(now.entra).not.toContain(c.upn);
        expect(now.aws).not.toContain(c.upn);
      }
      // The worker removed the plain memberships; Entra ended the PIM assignments itself.
      const counters = (await emulators.control.getCounters()).graph;
      expect(
        counters['DELETE /v1.0/groups/{id}/members/{memberId}/$ref'] ?? 0,
      ).toBe(CASES.filter(c => c.mode === 'membership').length);
      expect(
        counters[
          'POST /v1.0/identityGovernance/privilegedAccess/group/assignmentScheduleRequests'
        ] ?? 0,
      ).toBe(CASES.filter(c => c.mode === 'pim').length);
    } finally {
      await started?.backend.stop();
      await emulators.close();
    }
  });
  it(`${CASES.map(c => c.mode).join(
    ' and ',
  )}: a revoke before expiry takes the access away in Entra and AWS (membership removed; PIM adminRemove)`, async () => {
    const emulators = await startTestEmulators();
    const knex = await databases.init('SQLITE_3');
    const r = refs(emulators);
    const started = await start(emulators, knex);
    try {
      const ids = await askAndApprove(started, r, 'PT1H');
      const all = () =>
        Promise.all(
          ids.map((id, i) =>
            getRequest(started, r[CASES[i].requester].ref, id),
          ),
        );
      await workUntil(started, all, 'active');
      for (const [i, c] of CASES.entries()) {
        const revoked = await started.api
          .post(`/api/aws-access/requests/${ids[i]}/revoke`)
          .set('Authorization', as(r[c.requester].ref))
          .send({ note: 'done early' });
        expect(revoked.status).toBe(200);
      }
      const ended = await workUntil(started, all, 'ended');
      for (const [i, c] of CASES.entries()) {
        expect(ended[i].history.map(h => h.to).slice(-3)).toEqual([
          'active',
          'revoking',
          'ended',
        ]);
        const now = await clouds(emulators, c.groupName);
        expect(now.entra).not.toContain(c.upn);
        expect(now.aws).not.toContain(c.upn);
      }
      const counters = (await emulators.control.getCounters()).graph;
      expect(
        counters['DELETE /v1.0/groups/{id}/members/{memberId}/$ref'] ?? 0,
      ).toBe(CASES.filter(c => c.mode === 'membership').length);
      // adminAssign, then adminRemove, for each PIM case.
      expect(
        counters[
          'POST /v1.0/identityGovernance/privilegedAccess/group/assignmentScheduleRequests'
        ] ?? 0,
      ).toBe(2 * CASES.filter(c => c.mode === 'pim').length);
    } finally {
      await started.backend.stop();
      await emulators.close();
    }
  });
});
