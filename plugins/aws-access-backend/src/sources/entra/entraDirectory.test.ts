import type { IdentityGroup, IdentitySide } from '../../snapshot/model';
import { startEmulatorWorld } from '../../__testUtils__/emulatorWorld';
import { runAtOnce, runInSlices } from '../../snapshot/slices';
import { RequestStats } from '../requests/RequestStats';
import { applyDirectoryDelta } from './entraDirectory';

jest.setTimeout(60_000);

/** A group as the product keeps it, with member order (which chunks change) left out. */
const comparable = (groups: IdentityGroup[]) =>
  groups
    .map(g => ({
      ...g,
      memberUserIds: [...g.memberUserIds].sort(),
      memberGroupIds: [...g.memberGroupIds].sort(),
    }))
    .sort((a, b) => a.id.localeCompare(b.id));

/*
 * Graph splits a large group's members@delta over several copies of the group object, on different pages, the
 * properties possibly only on a later copy and removals in copies of their own. The mirror must come out the
 * same as from one object per group, on the first read and on incremental rounds.
 */
describe('the Entra directory mirror with split groups', () => {
  it('merges chunked groups on the first read and on incremental rounds', async () => {
    const world = await startEmulatorWorld();
    const { control } = world.emulators;
    try {
      const read = (previous?: IdentitySide) =>
        world.sources.identity!.read(
          { stats: new RequestStats(), now: new Date() },
          previous,
        );
      const groupId = (name: string) =>
        world.emulators.scenario.entra.groups.find(g => g.name === name)!.id;
      const userId = (upn: string) =>
        world.emulators.scenario.entra.users.find(u => u.upn === upn)!.id;

      await control.updateSettings({ graphDeltaMembersChunkSize: 0 });
      const whole = await read();
      await control.updateSettings({
        graphDeltaMembersChunkSize: 2,
        graphMaxDeltaPageSize: 3,
      });
      const first = await read();
      expect(comparable(first.groups)).toEqual(comparable(whole.groups));
      const backend = first.groups.find(g => g.id === groupId('Backend-Team'))!;
      expect(backend.displayName).toBe('Backend-Team');
      expect(backend.memberUserIds).toHaveLength(5);

      // Additions over two chunks, the removal in a third that alone carries the group's properties.
      for (const upn of ['tom', 'olu', 'sara'])
        await control.addGroupMember('Backend-Team', `${upn}@example.com`);
      await control.removeGroupMember('Backend-Team', 'priya@example.com');
      // A group new in this round: its member chunks arrive before the copy that names it.
      const big = await control.createEntraGroup({
        name: 'Big-Team',
        members: ['tom', 'olu', 'sara', 'noah', 'maria'].map(
          u => `${u}@example.com`,
        ),
      });
      const second = await read(first);
      const backendNow = second.groups.find(
        g => g.id === groupId('Backend-Team'),
      )!;
      expect(backendNow.displayName).toBe('Backend-Team');
      expect([...backendNow.memberUserIds].sort()).toEqual(
        ['aamir', 'shen.li', 'alex', 'maria', 'tom', 'olu', 'sara']
          .map(u => userId(`${u}@example.com`))
          .sort(),
      );
      const bigNow = second.groups.find(g => g.id === big.id)!;
      expect(bigNow).toMatchObject({
        displayName: 'Big-Team',
        securityEnabled: true,
      });
      expect(bigNow.memberUserIds).toHaveLength(5);
      expect(second.changes).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            kind: 'member-removed',
            userId: userId('priya@example.com'),
            groupId: groupId('Backend-Team'),
            source: 'delta',
          }),
          expect.objectContaining({
            kind: 'member-added',
            userId: userId('sara@example.com'),
            groupId: big.id,
            source: 'delta',
          }),
        ]),
      );

      // A member removed and another re-added in a later round; the full enumeration agrees with the mirror.
      await control.removeGroupMember('Big-Team', 'noah@example.com');
      await control.addGroupMember('Backend-Team', 'priya@example.com');
      const third = await read(second);
      await control.updateSettings({ graphDeltaMembersChunkSize: 0 });
      const fresh = await read();
      expect(comparable(third.groups)).toEqual(comparable(fresh.groups));
      expect(
        third.groups.find(g => g.id === big.id)!.memberUserIds,
      ).not.toContain(userId('noah@example.com'));
    } finally {
      await world.emulators.close();
    }
  });
});

describe('applying a delta round', () => {
  const user = (i: number) => ({
    id: `u${i}`,
    displayName: `User ${i}`,
    userPrincipalName: `user${i}@example.com`,
    accountEnabled: true,
  });
  const member = (i: number, removed = false) => ({
    '@odata.type': '#microsoft.graph.user',
    id: `u${i}`,
    ...(removed ? { '@removed': { reason: 'deleted' } } : {}),
  });
  const previous = {
    users: Array.from({ length: 300 }, (_, i) => user(i)),
    groups: Array.from({ length: 10 }, (_, g) => ({
      id: `g${g}`,
      displayName: `Group ${g}`,
      securityEnabled: true,
      memberUserIds: Array.from({ length: 30 }, (__, i) => `u${g * 30 + i}`),
      memberGroupIds: [],
    })),
  };
  const round = {
    previous,
    users: [
      { id: 'u1', accountEnabled: false },
      { id: 'u2', '@removed': { reason: 'deleted' } },
      user(300),
    ],
    groups: [
      { id: 'g0', 'members@delta': [member(0, true), member(300), member(1)] },
      { id: 'g1', '@removed': { reason: 'deleted' } },
      {
        id: 'g10',
        displayName: 'Group 10',
        'members@delta': Array.from({ length: 200 }, (_, i) => member(i)),
      },
    ],
    at: '2026-12-06T12:00:00.000Z',
  };

  it('applies users, groups and members in order, and records what the round saw', () => {
    const applied = runAtOnce(applyDirectoryDelta(round));
    expect(applied.users).toHaveLength(300);
    expect(applied.users.find(u => u.id === 'u1')?.accountEnabled).toBe(false);
    expect(applied.users.find(u => u.id === 'u2')).toBeUndefined();
    const g0 = applied.groups.find(g => g.id === 'g0')!;
    expect(g0.memberUserIds).toHaveLength(30);
    expect(g0.memberUserIds.slice(-1)).toEqual(['u300']);
    expect(applied.groups.map(g => g.id)).not.toContain('g1');
    expect(
      applied.groups.find(g => g.id === 'g10')?.memberUserIds,
    ).toHaveLength(200);
    expect(applied.observed.map(c => c.kind).sort()).toEqual(
      [
        'user-disabled',
        'user-deleted',
        'user-created',
        'member-removed',
        'member-added',
        ...Array(200).fill('member-added'),
      ].sort(),
    );
    // The previous mirror is not changed: it is the served snapshot's.
    expect(previous.groups[0].memberUserIds).toHaveLength(30);
    expect(previous.groups[0].memberUserIds).toContain('u0');
  });

  it('gives the event loop a turn per user, group and member, with the result of applying at once', async () => {
    let turns = 0;
    let applying = true;
    const other = (async () => {
      while (applying) {
        await new Promise(r => setImmediate(r));
        turns++;
      }
    })();
    const sliced = await runInSlices(applyDirectoryDelta(round), 0);
    applying = false;
    await other;
    // 300 users and 10 groups copied, then 6 items and 203 members applied.
    expect(turns).toBeGreaterThan(500);
    expect(sliced).toEqual(runAtOnce(applyDirectoryDelta(round)));
  });
});
