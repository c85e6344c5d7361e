import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import type { GrantState } from '@aws-access/plugin-aws-access-common';
import { startEmulatorWorld } from '../__testUtils__/emulatorWorld';
import { createTestSyncService } from '../__testUtils__/syncService';
import { AccessIndex } from '../snapshot/AccessIndex';
import { SnapshotStore } from '../store/SnapshotStore';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

/** `account name / permission set` → state, for one person. */
function statesOf(
  index: AccessIndex,
  userRef: string,
): Record<string, GrantState> {
  const person = index.personByEntityRef(userRef);
  if (!person) return {};
  const now = new Date(index.snapshot.readAt);
  return Object.fromEntries(
    person.grants.map(grant => [
      `${index.accountsById.get(grant.accountId)!.name} / ${
        index.permissionSetsByArn.get(grant.permissionSetArn)!.name
      }`,
      index.stateAt(grant, now),
    ]),
  );
}

describe.each(databases.eachSupportedId())(
  'sync of the seed organisation on %p',
  databaseId => {
    it('derives the joiner, mover and leaver states, and resolves them after a SCIM cycle', async () => {
      const world = await startEmulatorWorld();
      try {
        const knex = await databases.init(databaseId);
        const store = await SnapshotStore.create({
          database: mockServices.database({
            knex,
            migrations: { skip: false },
          }),
        });
        const committed: number[] = [];
        let served: AccessIndex | undefined;
        const sync = createTestSyncService(world, {
          store,
          servedIndex: async () => served,
          onCommitted: async (version, index) => {
            committed.push(version);
            served = index;
          },
        });

        const first = await sync.run();
        expect(first).toMatchObject({ outcome: 'succeeded' });
        const latest = (await store.latest())!;
        const index = AccessIndex.build({
          snapshot: latest.snapshot,
          version: latest.version,
        });
        // The index the run hands over for serving is the one a replica would derive from the stored snapshot.
        expect(served!.version).toBe(latest.version);
        expect(served!.snapshot).toEqual(latest.snapshot);
        expect(served!.persons).toEqual(index.persons);
        expect(served!.gapsFirstSeen).toEqual(index.gapsFirstSeen);

        const readOnly5 = [
          'payments-dev',
          'payments-staging',
          'payments-prod',
          'web-dev',
          'web-prod',
        ];
        expect(statesOf(index, 'user:default/aamir_example.com')).toEqual(
          Object.fromEntries(
            readOnly5.map(a => [`${a} / DeveloperReadOnly`, 'pending']),
          ),
        );
        expect(statesOf(index, 'user:default/shen.li_example.com')).toEqual({
          'payments-dev / DeveloperPowerUser': 'pending',
          'payments-staging / DeveloperPowerUser': 'pending',
          'web-dev / DeveloperPowerUser': 'pending',
          'payments-prod / DeveloperReadOnly': 'active',
          'web-prod / DeveloperReadOnly': 'active',
          'payments-dev / DeveloperReadOnly': 'revoking',
          'payments-staging / DeveloperReadOnly': 'revoking',
          'web-dev / DeveloperReadOnly': 'revoking',
        });
        const alex = statesOf(index, 'user:default/alex_example.com');
        expect(Object.keys(alex).length).toBeGreaterThan(0);
        expect(new Set(Object.values(alex))).toEqual(new Set(['revoking']));
        expect(statesOf(index, 'user:default/noah_example.com')).toMatchObject({
          'data-lake / DataAnalyst': 'unsupported-nesting',
        });
        expect(index.unmanaged.map(u => u.name).sort()).toEqual([
          'breakglass-1',
          'breakglass-2',
          'breakglass-admins',
        ]);
        expect(index.accountsById.size).toBe(12);
        expect(index.permissionSetsByArn.size).toBe(5);
        expect(latest.snapshot.stats['sso-admin']?.requests).toBeGreaterThan(0);
        expect(latest.snapshot.stats.graph?.requests).toBeGreaterThan(0);

        const served0 = served;
        await world.emulators.control.runScimCycle();
        const reloads = jest.spyOn(store, 'latest');
        const derivations = jest.spyOn(AccessIndex, 'derive');
        const second = await sync.run();
        expect(reloads).not.toHaveBeenCalled(); // the served index was the previous snapshot
        // The run held only the previous snapshot while it read; it derived on the served index, not on a new one.
        expect(derivations).toHaveBeenCalledTimes(1);
        expect(derivations.mock.calls[0][0].previous).toBe(served0);
        derivations.mockRestore();
        reloads.mockRestore();
        expect(second).toMatchObject({ outcome: 'succeeded' });
        const after = (await store.latest())!;
        const resolved = AccessIndex.build({
          snapshot: after.snapshot,
          version: after.version,
        });

        expect(statesOf(resolved, 'user:default/aamir_example.com')).toEqual(
          Object.fromEntries(
            readOnly5.map(a => [`${a} / DeveloperReadOnly`, 'active']),
          ),
        );
        expect(statesOf(resolved, 'user:default/shen.li_example.com')).toEqual({
          'payments-dev / DeveloperPowerUser': 'active',
          'payments-staging / DeveloperPowerUser': 'active',
          'web-dev / DeveloperPowerUser': 'active',
          'payments-prod / DeveloperReadOnly': 'active',
          'web-prod / DeveloperReadOnly': 'active',
        });
        expect(statesOf(resolved, 'user:default/alex_example.com')).toEqual({});

        // What the second sync saw change, for the timelines.
        const seen = (ref: string) => {
          const person =
            resolved.personByEntityRef(ref) ?? index.personByEntityRef(ref)!;
          return after.snapshot
            .syncEvents!.filter(e => e.personKey === person.key)
            .map(
              e =>
                `${index.accountsById.get(e.accountId)!.name} / ${
                  index.permissionSetsByArn.get(e.permissionSetArn)!.name
                }: ${e.from} → ${e.to}`,
            )
            .sort();
        };
        expect(seen('user:default/aamir_example.com')).toEqual(
          readOnly5
            .map(a => `${a} / DeveloperReadOnly: pending → active`)
            .sort(),
        );
        expect(seen('user:default/alex_example.com')).toEqual(
          Object.keys(alex)
            .map(pair => `${pair}: revoking → none`)
            .sort(),
        );
        expect(seen('user:default/shen.li_example.com')).toEqual([
          'payments-dev / DeveloperPowerUser: pending → active',
          'payments-dev / DeveloperReadOnly: revoking → none',
          'payments-staging / DeveloperPowerUser: pending → active',
          'payments-staging / DeveloperReadOnly: revoking → none',
          'web-dev / DeveloperPowerUser: pending → active',
          'web-dev / DeveloperReadOnly: revoking → none',
        ]);
        expect(served!.version).toBe(after.version);
        expect(served!.persons).toEqual(resolved.persons);
        expect(committed).toEqual([
          first.snapshotVersion,
          second.snapshotVersion,
        ]);

        // A steady sync after one joiner writes a delta on the previous version, a fraction of the whole
        // snapshot, and a replica reading it from the database serves the same access as this one.
        await world.emulators.control.createEntraUser({
          upn: 'steady.hire@example.com',
          displayName: 'Steady Hire',
        });
        await world.emulators.control.addGroupMember(
          'AWS-Developers-ReadOnly',
          'steady.hire@example.com',
        );
        const third = await sync.run();
        expect(third).toMatchObject({ outcome: 'succeeded' });
        const written = (await store.storedSize(third.snapshotVersion!))!;
        expect(written.baseVersion).toBe(second.snapshotVersion);
        expect(written.wholeVersion).toBe(first.snapshotVersion);
        // The seed organisation is tiny: what every sync changes (read times, request counts, cursors) is most of it.
        expect(written.sizeBytes).toBeLessThan(written.wholeSizeBytes / 3);
        const replica = await SnapshotStore.create({
          database: mockServices.database({ knex }),
        });
        const reread = (await replica.latest())!;
        expect(reread.version).toBe(third.snapshotVersion);
        expect(JSON.stringify(reread.snapshot)).toBe(
          JSON.stringify(served!.snapshot),
        );
        const replicaIndex = AccessIndex.build({
          snapshot: reread.snapshot,
          version: reread.version,
        });
        expect(replicaIndex.persons).toEqual(served!.persons);
        expect(
          statesOf(replicaIndex, 'user:default/steady.hire_example.com'),
        ).toMatchObject({ 'payments-dev / DeveloperReadOnly': 'pending' });
      } finally {
        await world.emulators.close();
      }
    });

    it('without an identity source, derives who should have access from Identity Center alone: one read, every grant active', async () => {
      const world = await startEmulatorWorld();
      try {
        const knex = await databases.init(databaseId);
        const store = await SnapshotStore.create({
          database: mockServices.database({
            knex,
            migrations: { skip: false },
          }),
        });
        const sync = createTestSyncService(world, {
          store,
          sources: { aws: world.sources.aws },
        });
        await world.emulators.control.resetCounters();
        expect(await sync.run()).toMatchObject({ outcome: 'succeeded' });
        const counters = await world.emulators.control.getCounters();
        expect(counters.totals.graph).toBe(0);
        // The identity store is read once, by the AWS source.
        expect(counters.identitystore.ListUsers).toBe(1);

        const latest = (await store.latest())!;
        const { identity, aws } = latest.snapshot;
        expect(identity.source).toBe('identity-center');
        expect(identity.users).toHaveLength(aws.users.length);
        const index = AccessIndex.build({
          snapshot: latest.snapshot,
          version: latest.version,
        });
        const now = new Date(latest.snapshot.readAt);
        const grants = index.persons.flatMap(p => p.grants);
        expect(grants.length).toBeGreaterThan(0);
        expect(new Set(grants.map(g => index.stateAt(g, now)))).toEqual(
          new Set(['active']),
        );
        // Shen still holds what Identity Center gives him (the mover's old group): active, through that group.
        expect(statesOf(index, 'user:default/shen.li_example.com')).toEqual({
          'payments-dev / DeveloperReadOnly': 'active',
          'payments-staging / DeveloperReadOnly': 'active',
          'payments-prod / DeveloperReadOnly': 'active',
          'web-dev / DeveloperReadOnly': 'active',
          'web-prod / DeveloperReadOnly': 'active',
        });
        const shen = index.personByUpn('shen.li@example.com')!;
        expect(
          new Set(shen.grants.flatMap(g => g.paths.map(p => p.name))),
        ).toEqual(new Set(['AWS-Developers-ReadOnly']));
        // Nobody is unmanaged: Identity Center is the directory.
        expect(index.unmanaged).toEqual([]);
      } finally {
        await world.emulators.close();
      }
    });
  },
);
