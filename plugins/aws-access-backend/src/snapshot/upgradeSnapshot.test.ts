import { syncSummary } from '../api/views/common';
import { AccessIndex } from './AccessIndex';
import { miniSnapshot } from './__fixtures__/miniSnapshot';
import snapshotV1 from './__fixtures__/snapshot-v1.json';
import { SNAPSHOT_SCHEMA_VERSION } from './model';
import { upgradeSnapshot } from './upgradeSnapshot';

/*
 * snapshot-v1.json is a snapshot as the previous version committed it: a sync of the seed organization against
 * the emulators, then a second one after a membership change (so it carries delta links, gap ages and observed
 * transitions).
 */
const v1 = () => JSON.parse(JSON.stringify(snapshotV1));

describe('upgradeSnapshot', () => {
  it('moves the entra side of a version-1 snapshot to the identity side, losing nothing', () => {
    const old = v1();
    const upgraded = upgradeSnapshot(old);
    const { appAssignments, ...entraRest } = old.entra;

    expect(upgraded.schemaVersion).toBe(SNAPSHOT_SCHEMA_VERSION);
    expect(upgraded.identity).toEqual({
      ...entraRest,
      source: 'entra',
      provisioningScope: appAssignments,
      cursor: old.graphDelta,
    });
    expect(upgraded.identity.users).toHaveLength(9);
    expect(upgraded.identity.provisioningScope.length).toBeGreaterThan(0);
    const { entra: _entra, graphDelta: _delta, ...unchanged } = old;
    expect(upgraded).toMatchObject(unchanged);
    expect(Object.keys(upgraded).sort()).toEqual(
      [
        ...Object.keys(unchanged),
        'identity',
        'schemaVersion',
        'sidesReadAt',
      ].sort(),
    );
    // The one time it recorded is when both sides were read.
    expect(upgraded.sidesReadAt).toEqual({
      identity: old.readAt,
      aws: old.readAt,
    });
  });

  it('reads a version-2 snapshot stored before the per-side read times: both sides from readAt, its age served as before', () => {
    const { sidesReadAt: _none, ...stored } = JSON.parse(
      JSON.stringify(miniSnapshot()),
    );
    expect(stored).not.toHaveProperty('sidesReadAt');
    const upgraded = upgradeSnapshot(stored);
    expect(upgraded).toEqual({
      ...stored,
      sidesReadAt: { identity: stored.readAt, aws: stored.readAt },
    });
    const index = AccessIndex.build({ snapshot: upgraded, version: 3 });
    const now = new Date(Date.parse(stored.readAt) + 90_000);
    expect(syncSummary(index, now, 60_000)).toMatchObject({
      syncedAt: stored.readAt,
      snapshotAge: 90,
      stale: true,
      sides: { identity: stored.readAt, aws: stored.readAt },
    });
    expect(syncSummary(index, now, 60_000).sides).not.toHaveProperty('older');
  });

  it('serves an upgraded snapshot like the sync that wrote it: people, grants and gap ages', () => {
    const old = v1();
    const index = AccessIndex.build({
      snapshot: upgradeSnapshot(old),
      version: 7,
    });
    expect(index.persons.length).toBeGreaterThanOrEqual(old.entra.users.length);
    const maria = index.personByUpn('maria@example.com')!;
    expect(maria.identityUser?.id).toBe(
      old.entra.users.find(
        (u: any) => u.userPrincipalName === 'maria@example.com',
      ).id,
    );
    expect(maria.grants.length).toBeGreaterThan(0);
    expect(
      maria.grants.map(g => index.stateAt(g, new Date(old.readAt))),
    ).toContain('active');
    // The gap ages the old snapshot carried are the ages this index derives.
    expect(index.gapsFirstSeen).toEqual(old.gapsFirstSeen);
  });

  it('continues the identity source from the delta links the old snapshot kept', () => {
    const old = v1();
    expect(upgradeSnapshot(old).identity.cursor).toEqual({
      users: old.graphDelta.users,
      groups: old.graphDelta.groups,
    });
    const { graphDelta: _none, ...withoutDelta } = old;
    expect(upgradeSnapshot(withoutDelta).identity).not.toHaveProperty('cursor');
  });

  it('leaves a current snapshot as it is', () => {
    const current = miniSnapshot();
    expect(upgradeSnapshot(current)).toBe(current);
    expect(upgradeSnapshot(upgradeSnapshot(v1()))).toEqual(
      upgradeSnapshot(v1()),
    );
  });

  it('refuses a snapshot newer than it understands, saying what to do', () => {
    expect(() =>
      upgradeSnapshot({ ...miniSnapshot(), schemaVersion: 99 }),
    ).toThrow(
      'Snapshot schema version 99 is newer than this backend understands (2); upgrade the backend',
    );
  });
});
