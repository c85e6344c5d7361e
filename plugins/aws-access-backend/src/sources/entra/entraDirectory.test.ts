import type { IdentityGroup, IdentitySide } from '../../snapshot/model';
import { startEmulatorWorld } from '../../__testUtils__/emulatorWorld';
import { RequestStats } from '../requests/RequestStats';

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
