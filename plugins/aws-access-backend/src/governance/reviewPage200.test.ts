import {
  TestDatabases,
  mockCredentials,
  mockServices,
} from '@backstage/backend-test-utils';
import type { ReviewItemPage } from '@aws-access/plugin-aws-access-common';
import { entraUserEntityRef } from '@aws-access/plugin-aws-access-common';
import { loadScenario } from '@aws-access/emulators';
import { SEED_SCENARIO, startTestEmulators } from '@aws-access/test-utils';
import request from 'supertest';
import { startAccessBackend } from '../__testUtils__/testBackend';

/*
 * A reviewer of a 200-member group (issue 17): the seed organisation with 200 more people in ReadOnly (in sync in
 * AWS). Maria's review page is one API call whatever the group's size, and that call reads neither AWS nor Graph
 * per member: the figures (bytes, latency, cloud calls) are printed for the bench notes.
 */

jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const as = (ref: string) => mockCredentials.user.header(ref);
const EXTRA = 200;

describe("a reviewer's page for a 200-member group", () => {
  it('is one call, with no cloud reads per member', async () => {
    const scenario = loadScenario(SEED_SCENARIO);
    const people = Array.from({ length: EXTRA }, (_, i) => ({
      upn: `member${String(i).padStart(3, '0')}@example.com`,
      displayName: `Member ${i}`,
      department: 'Backend',
    }));
    scenario.entra!.users.push(...people);
    const readOnly = scenario.entra!.groups.find(
      g => g.name === 'AWS-Developers-ReadOnly',
    )!;
    readOnly.members = [...(readOnly.members ?? []), ...people.map(p => p.upn)];
    const emulators = await startTestEmulators(scenario);
    const backend = await startAccessBackend(emulators, {
      configOverrides: { governance: { mode: 'membership', policies: [] } },
      extraFeatures: [
        mockServices.database.factory({
          knex: await databases.init('SQLITE_3'),
        }),
      ],
    });
    const api = request(backend.server);
    const sara = entraUserEntityRef({ userPrincipalName: 'sara@example.com' });
    const maria = entraUserEntityRef({
      userPrincipalName: 'maria@example.com',
    });
    try {
      const created = await api
        .post('/api/aws-access/reviews')
        .set('Authorization', as(sara))
        .send({
          name: 'ReadOnly at scale',
          groups: ['group:default/aws-developers-readonly'],
          dueAt: '2099-01-01T00:00:00Z',
        });
      expect(created.status).toBe(201);
      expect(created.body.progress.total).toBe(EXTRA + 4);

      const timings: number[] = [];
      let page: ReviewItemPage | undefined;
      let bytes = 0;
      const before = await emulators.control.getCounters();
      for (let i = 0; i < 5; i++) {
        const started = process.hrtime.bigint();
        const res = await api
          .get(`/api/aws-access/reviews/${created.body.id}/items`)
          .set('Authorization', as(maria));
        timings.push(Number(process.hrtime.bigint() - started) / 1e6);
        expect(res.status).toBe(200);
        page = res.body;
        bytes = Buffer.byteLength(res.text);
      }
      const after = await emulators.control.getCounters();
      const [group] = page!.groups;
      expect(group.items).toHaveLength(EXTRA + 4);
      // Every member's access is in the one response: the matrix needs no other call.
      const inSync = group.items.filter(i =>
        i.member.entityRef.startsWith('user:default/member'),
      );
      expect(inSync.every(i => i.access.length === 5)).toBe(true);
      // Five page loads read nothing from AWS or Graph (owners were read, and cached, at the campaign's start).
      // The control API's own calls (reading these counters) are not cloud calls.
      const cloudCalls = (c: typeof before) =>
        Object.entries(c.totals)
          .filter(([service]) => service !== 'control')
          .reduce((sum, [, n]) => sum + n, 0);
      expect(cloudCalls(after) - cloudCalls(before)).toBe(0);
      // Keeping the whole group is one more call; its answer is every item, decided.
      const keepStarted = process.hrtime.bigint();
      const kept = await api
        .post(`/api/aws-access/reviews/${created.body.id}/decisions`)
        .set('Authorization', as(maria))
        .send({
          group: 'group:default/aws-developers-readonly',
          decision: 'keep',
        });
      const keepMs = Number(process.hrtime.bigint() - keepStarted) / 1e6;
      expect(kept.status).toBe(200);
      expect(kept.body.items).toHaveLength(EXTRA + 4);
      expect(
        kept.body.items.every((i: { state: string }) => i.state === 'kept'),
      ).toBe(true);
      const sorted = [...timings].sort((a, b) => a - b);
      process.stdout.write(
        `review page, ${group.items.length} members: 1 API call, ${Math.round(
          bytes / 1024,
        )} KiB, median ${Math.round(sorted[2])} ms (min ${Math.round(
          sorted[0],
        )}, max ${Math.round(sorted[4])}), ${
          cloudCalls(after) - cloudCalls(before)
        } cloud calls for 5 loads; keeping all ${
          kept.body.items.length
        } in one call ${Math.round(keepMs)} ms\n`,
      );
    } finally {
      await backend.stop();
      await emulators.close();
    }
  });
});
