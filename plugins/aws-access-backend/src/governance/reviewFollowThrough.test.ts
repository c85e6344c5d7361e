import {
  TestDatabases,
  mockCredentials,
  mockServices,
} from '@backstage/backend-test-utils';
import type { SchedulerService } from '@backstage/backend-plugin-api';
import type {
  ReviewEvidence,
  ReviewItem,
  ReviewItemPage,
} from '@aws-access/plugin-aws-access-common';
import {
  entraGroupEntityRef,
  entraUserEntityRef,
} from '@aws-access/plugin-aws-access-common';
import type { Emulators } from '@aws-access/emulators';
import { eventually, startTestEmulators } from '@aws-access/test-utils';
import request from 'supertest';
import { startAccessBackend } from '../__testUtils__/testBackend';
import { REVIEW_WORKER_TASK_ID } from './ReviewWorker';

/*
 * A review's removal end to end: the real backend (the review worker as its scheduled task, the real Entra writer
 * and provision-on-demand) against the emulators. Sara starts a campaign over ReadOnly, Maria (its Entra owner)
 * removes Priya; the item is `removed` only once AWS no longer shows Priya in the group, and the evidence says
 * who decided, what AWS showed then, and when the removal reached AWS.
 */

jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const as = (ref: string) => mockCredentials.user.header(ref);

function refs(emulators: Emulators) {
  const { users, groups } = emulators.scenario.entra;
  const user = (upn: string) => {
    const u = users.find(x => x.upn === upn)!;
    return entraUserEntityRef({ mail: u.mail, userPrincipalName: u.upn });
  };
  const g = groups.find(x => x.name === 'AWS-Developers-ReadOnly')!;
  return {
    priya: user('priya@example.com'),
    maria: user('maria@example.com'),
    sara: user('sara@example.com'),
    readOnly: entraGroupEntityRef({
      displayName: g.name,
      securityEnabled: g.securityEnabled,
      mailNickname: g.mailNickname,
    }),
  };
}

/** Entra's direct members and Identity Center's members (by user name) of ReadOnly now. */
async function clouds(emulators: Emulators) {
  const state = await emulators.control.getState();
  const name = 'AWS-Developers-ReadOnly';
  const entra = state.entra.groups.find(g => g.name === name)!;
  const idc = state.identityCenter.groups.find(g => g.displayName === name)!;
  const userNames = new Map(
    state.identityCenter.users.map(u => [u.userId, u.userName]),
  );
  return {
    entra: entra.members,
    aws: idc.members.map(id => userNames.get(id) ?? id),
  };
}

describe('an access review removal, followed through to AWS', () => {
  it('remove → out of Entra → provisioned → gone from AWS → removed, with the evidence', async () => {
    const emulators = await startTestEmulators();
    const knex = await databases.init('SQLITE_3');
    const scheduler = mockServices.scheduler();
    const r = refs(emulators);
    const backend = await startAccessBackend(emulators, {
      scheduler,
      configOverrides: {
        governance: { mode: 'membership', policies: [] },
      },
      extraFeatures: [mockServices.database.factory({ knex })],
    });
    const api = request(backend.server);
    try {
      expect(await clouds(emulators)).toMatchObject({
        entra: expect.arrayContaining(['priya@example.com']),
        aws: expect.arrayContaining(['priya@example.com']),
      });
      const created = await api
        .post('/api/aws-access/reviews')
        .set('Authorization', as(r.sara))
        .send({
          name: 'ReadOnly review',
          groups: [r.readOnly],
          dueAt: '2099-01-01T00:00:00Z',
        });
      expect(created.status).toBe(201);
      const id = created.body.id;

      const page = await api
        .get(`/api/aws-access/reviews/${id}/items`)
        .set('Authorization', as(r.maria));
      expect(page.status).toBe(200);
      const priya = (page.body as ReviewItemPage).groups[0].items.find(
        i => i.member.entityRef === r.priya,
      )!;
      expect(priya).toMatchObject({
        reviewerSource: 'group-owners',
        reviewers: [r.maria],
      });
      expect(priya.access.every(a => a.state === 'active')).toBe(true);

      const decided = await api
        .post(`/api/aws-access/reviews/${id}/items/${priya.id}/decision`)
        .set('Authorization', as(r.maria))
        .send({ decision: 'remove', note: 'no longer on the team' });
      expect(decided.status).toBe(200);
      expect(decided.body.state).toBe('removing');

      const removed = await eventually(async () => {
        await (scheduler as SchedulerService).triggerTask(
          REVIEW_WORKER_TASK_ID,
        );
        const res = await api
          .get(`/api/aws-access/reviews/${id}/items`)
          .set('Authorization', as(r.maria));
        const item = (res.body as ReviewItemPage).groups[0].items.find(
          i => i.id === priya.id,
        ) as ReviewItem;
        if (item.state !== 'removed')
          throw new Error(`still ${item.state} ${item.error ?? ''}`);
        return item;
      }, 60_000);
      process.stdout.write(
        `review remove → removed in AWS ${
          (Date.parse(removed.removedAt!) - Date.parse(removed.decidedAt!)) /
          1000
        } s\n`,
      );
      expect(removed.access).toEqual([]);
      const now = await clouds(emulators);
      expect(now.entra).not.toContain('priya@example.com');
      expect(now.aws).not.toContain('priya@example.com');

      const evidence = await api
        .get(`/api/aws-access/reviews/${id}/evidence`)
        .set('Authorization', as(r.sara));
      expect(evidence.status).toBe(200);
      const row = (evidence.body as ReviewEvidence).rows.find(
        x => x.member === r.priya,
      )!;
      expect(row).toMatchObject({
        decision: 'remove',
        decidedBy: r.maria,
        note: 'no longer on the team',
        state: 'removed',
        removedAt: removed.removedAt,
      });
      expect(row.accessAtDecision.length).toBe(5);
      expect(Date.parse(row.removedAt!)).toBeGreaterThanOrEqual(
        Date.parse(row.decidedAt!),
      );
      const counters = (await emulators.control.getCounters()).graph;
      expect(
        counters['DELETE /v1.0/groups/{id}/members/{memberId}/$ref'] ?? 0,
      ).toBe(1);
    } finally {
      await backend.stop();
      await emulators.close();
    }
  });
});
