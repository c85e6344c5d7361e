import type { TestDatabaseId } from '@backstage/backend-test-utils';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { createHash, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Knex } from 'knex';
import { miniSnapshot } from '../snapshot/__fixtures__/miniSnapshot';
import type { Snapshot } from '../snapshot/model';
import { SnapshotStore } from './SnapshotStore';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const MIB = 1024 * 1024;
const NOW = '2026-11-30T09:00:00.000Z';

/** The mini world with findings of random text: about `mib` MiB gzipped, as gzip cannot shrink it much. */
function bulky(mib: number): Snapshot {
  const snapshot = miniSnapshot();
  for (let i = 0; i < mib * 16; i++)
    snapshot.findings.push({
      code: 'bulk',
      message: randomBytes(48 * 1024).toString('base64'),
    });
  return snapshot;
}

/** The largest binary value any query answered with while `work` ran (the data a driver decodes at once). */
async function largestAnswer(knex: Knex, work: () => Promise<unknown>) {
  let largest = 0;
  const measure = (value: unknown): void => {
    if (Buffer.isBuffer(value)) largest = Math.max(largest, value.length);
    else if (Array.isArray(value)) value.forEach(measure);
    else if (value && typeof value === 'object')
      Object.values(value).forEach(measure);
  };
  knex.on('query-response', measure);
  try {
    return { result: await work(), largest };
  } finally {
    knex.removeListener('query-response', measure);
  }
}

describe.each(databases.eachSupportedId())(
  'SnapshotStore reads on %p',
  (databaseId: TestDatabaseId) => {
    async function committed(snapshot: Snapshot, hold = false) {
      const knex = await databases.init(databaseId);
      const store = await SnapshotStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
      await store.startRun({
        id: 'r1',
        trigger: 'schedule',
        startedAt: snapshot.readAt,
      });
      const outcome = {
        snapshot,
        kind: 'full' as const,
        runId: 'r1',
        finishedAt: snapshot.readAt,
        durationMs: 1,
        requests: {},
      };
      if (hold) await store.hold({ ...outcome, reasons: ['a test'] });
      else await store.commit(outcome);
      return { knex, store };
    }

    it('reads a snapshot of several MiB a MiB per query, and exactly as committed', async () => {
      const snapshot = bulky(3);
      const { knex, store } = await committed(snapshot);
      const stored = await store.rawLatest();
      expect(stored!.sizeBytes).toBeGreaterThan(2 * MIB);

      const { result, largest } = await largestAnswer(knex, () =>
        store.latest(),
      );
      expect(largest).toBeLessThanOrEqual(MIB);
      expect(JSON.stringify((result as any).snapshot)).toBe(
        JSON.stringify(snapshot),
      );
    });

    it('writes a snapshot of several MiB a MiB per statement on PostgreSQL, whole on SQLite', async () => {
      const knex = await databases.init(databaseId);
      const store = await SnapshotStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
      let largest = 0;
      const measure = (query: { bindings?: unknown[] }) => {
        for (const value of query.bindings ?? [])
          if (Buffer.isBuffer(value)) largest = Math.max(largest, value.length);
      };
      knex.on('query', measure);
      const snapshot = bulky(3);
      await store.startRun({ id: 'r1', trigger: 'schedule', startedAt: NOW });
      await store.commit({
        snapshot,
        kind: 'full',
        runId: 'r1',
        finishedAt: NOW,
        durationMs: 1,
        requests: {},
      });
      knex.removeListener('query', measure);
      // SQLite's driver runs in this thread however the data is bound: it is written whole there.
      const whole = (await store.rawLatest())!.sizeBytes;
      expect(largest).toBe(databaseId.startsWith('POSTGRES') ? MIB : whole);
      expect(JSON.stringify((await store.latest())!.snapshot)).toBe(
        JSON.stringify(snapshot),
      );
    });

    it('reads data that ends exactly on a piece boundary', async () => {
      // gzip without compression is the text plus a fixed overhead per block: padded to exactly 2 MiB.
      const snapshot = miniSnapshot();
      snapshot.findings.push({ code: 'padding', message: '' });
      const gzipped = (text: string) => gzipSync(text, { level: 0 });
      const empty = JSON.stringify(snapshot);
      let padding = 2 * MIB - gzipped(empty).length;
      for (;;) {
        snapshot.findings[0].message = 'x'.repeat(padding);
        const size = gzipped(JSON.stringify(snapshot)).length;
        if (size === 2 * MIB) break;
        padding -= size - 2 * MIB;
      }
      const { knex, store } = await committed(miniSnapshot());
      const { id } = (await store.rawLatest())!;
      const data = gzipped(JSON.stringify(snapshot));
      await knex('snapshots')
        .where({ id })
        .update({
          data,
          checksum: createHash('sha256').update(data).digest('hex'),
        });

      const { result, largest } = await largestAnswer(knex, () =>
        store.byVersion(id),
      );
      expect(largest).toBe(MIB);
      expect((result as any).snapshot).toEqual(snapshot);
    });

    it('answers what is held without reading its data', async () => {
      const { knex, store } = await committed(bulky(2), true);
      const { result, largest } = await largestAnswer(knex, () => store.held());
      expect(result).toMatchObject({ reasons: ['a test'] });
      expect(largest).toBe(0);
    });
  },
);
