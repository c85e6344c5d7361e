import { MINI_NOW, PU, RO, miniSnapshot } from './__fixtures__/miniSnapshot';
import { AccessIndex } from './AccessIndex';
import { applyUserRefresh } from './applyUserRefresh';
import { withPersonRead } from './freshness';
import { keepNewerReads, mergeRecords } from './keepNewerReads';
import type { Snapshot } from './model';

const at = (minutes: number) =>
  new Date(MINI_NOW.getTime() + minutes * 60_000).toISOString();

/** Alex, the leaver, deprovisioned now and re-read alone: disabled in AWS, out of every AWS group. */
function alexDeprovisioned(base: Snapshot): Snapshot {
  const alex = base.identity.users.find(u => u.id === 'u-alex')!;
  return withPersonRead(
    applyUserRefresh(base, {
      identityUserId: 'u-alex',
      identity: { user: alex, directGroupIds: ['g-pu'] },
      idc: {
        user: {
          id: 'i-alex',
          userName: 'alex@example.com',
          status: 'DISABLED',
          externalId: 'u-alex',
        },
        groupIds: [],
        directAssignments: [],
        groups: [],
      },
    }),
    'u-alex',
    at(3),
  );
}

/** What a full run read, starting before the deprovisioning: Alex still in, and its own news (a SCIM cycle for Aamir). */
function fullReadBefore(base: Snapshot): Snapshot {
  const full = structuredClone(base);
  full.readAt = at(1);
  full.sidesReadAt = { identity: at(1), aws: at(1) };
  full.aws.users.push({
    id: 'i-aamir',
    userName: 'aamir@example.com',
    status: 'ENABLED',
    externalId: 'u-aamir',
  });
  full.aws.groups.find(g => g.id === 'ig-ro')!.memberUserIds.push('i-aamir');
  full.aws.assignments.push({
    accountId: '200000000006',
    permissionSetArn: PU,
    principalType: 'GROUP',
    principalId: 'ig-pu',
  });
  return full;
}

const grantsOf = async (snapshot: Snapshot, key: string) =>
  (await AccessIndex.derive({ snapshot, version: 1 }))
    .personByKey(key)!
    .grants.filter(g => g.baseState === 'active')
    .map(g => `${g.accountId} ${g.permissionSetArn === RO ? 'RO' : 'PU'}`)
    .sort();

describe('keepNewerReads', () => {
  it('keeps a leaver deprovisioned while the full run read, and the full run’s own news', async () => {
    const base = miniSnapshot();
    const current = alexDeprovisioned(base);
    const merged = keepNewerReads({
      base,
      current,
      full: fullReadBefore(base),
    });

    // The targeted read of Alex wins: disabled, no AWS group, no usable grant.
    expect(merged.aws.users.find(u => u.id === 'i-alex')?.status).toBe(
      'DISABLED',
    );
    expect(
      merged.aws.groups.find(g => g.id === 'ig-pu')?.memberUserIds,
    ).toEqual(['i-maria']);
    expect(await grantsOf(merged, 'u-alex')).toEqual([]);
    expect(merged.peopleReadAt).toEqual({ 'u-alex': at(3) });

    // What only the full run read is committed: Aamir provisioned, a new assignment reaching Maria.
    expect(
      merged.aws.groups.find(g => g.id === 'ig-ro')?.memberUserIds,
    ).toEqual(['i-shen', 'i-aamir']);
    expect(await grantsOf(merged, 'u-aamir')).toEqual([
      '200000000001 RO',
      '200000000003 RO',
    ]);
    expect(await grantsOf(merged, 'u-maria')).toEqual([
      '200000000001 PU',
      '200000000003 RO',
      '200000000006 PU',
    ]);
    expect(merged.sidesReadAt).toEqual({ identity: at(1), aws: at(1) });
  });

  it('is the full read itself when nothing was committed meanwhile', () => {
    const base = miniSnapshot();
    const full = fullReadBefore(base);
    expect(keepNewerReads({ base, current: base, full })).toEqual(full);
  });

  it('keeps removals and additions of the newer commits, record by record', () => {
    type Row = { id: string; v: number };
    const base: Row[] = [
      { id: 'a', v: 1 },
      { id: 'b', v: 1 },
      { id: 'c', v: 1 },
    ];
    // Newer commits: b changed, c removed, d added.
    const current: Row[] = [
      { id: 'a', v: 1 },
      { id: 'b', v: 2 },
      { id: 'd', v: 1 },
    ];
    // The full run: a changed, c still there (read before its removal), e new, b as before.
    const full: Row[] = [
      { id: 'a', v: 3 },
      { id: 'b', v: 1 },
      { id: 'c', v: 1 },
      { id: 'e', v: 1 },
    ];
    expect(mergeRecords(base, current, full, r => r.id)).toEqual([
      { id: 'a', v: 3 },
      { id: 'b', v: 2 },
      { id: 'e', v: 1 },
      { id: 'd', v: 1 },
    ]);
  });

  it('drops a group a change event found deleted, with what the full run read of it', () => {
    const base = miniSnapshot();
    const current = structuredClone(base);
    current.aws.groups = current.aws.groups.filter(g => g.id !== 'ig-da');
    const merged = keepNewerReads({
      base,
      current,
      full: fullReadBefore(base),
    });
    expect(merged.aws.groups.map(g => g.id)).toEqual(['ig-ro', 'ig-pu']);
  });
});
