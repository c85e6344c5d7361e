import { startEmulatorWorld } from '../../__testUtils__/emulatorWorld';
import type { IdentitySide } from '../../snapshot/model';
import { RequestStats } from '../requests/RequestStats';

jest.setTimeout(60_000);

describe('EntraReader', () => {
  it('asks Graph for large delta pages, and still follows the pages Graph chooses to send', async () => {
    const world = await startEmulatorWorld();
    try {
      // Graph's default of 100 is lowered to 2 here so that paging would show, were the preference not sent.
      await world.emulators.control.updateSettings({ graphDefaultPageSize: 2 });
      const read = () =>
        world.sources.identity!.read({
          stats: new RequestStats(),
          now: new Date(),
        });

      await world.emulators.control.resetCounters();
      const full = await read();
      const asked = (await world.emulators.control.getCounters()).graph;
      expect(asked['GET /v1.0/users/delta']).toBe(1);
      expect(asked['GET /v1.0/groups/delta']).toBe(1);

      await world.emulators.control.updateSettings({
        graphMaxDeltaPageSize: 2,
      });
      await world.emulators.control.resetCounters();
      const capped = await read();
      const paged = (await world.emulators.control.getCounters()).graph;
      expect(paged['GET /v1.0/users/delta']).toBe(
        Math.ceil(full.users.length / 2),
      );
      expect(capped.users.map(u => u.id).sort()).toEqual(
        full.users.map(u => u.id).sort(),
      );
      expect(capped.groups.map(g => g.id).sort()).toEqual(
        full.groups.map(g => g.id).sort(),
      );
    } finally {
      await world.emulators.close();
    }
  });

  it('keeps what a delta round observed through quiet reads, for the audit lookback', async () => {
    const world = await startEmulatorWorld();
    try {
      const reader = world.sources.identity!;
      const read = (now: Date, previous?: IdentitySide) =>
        reader.read({ stats: new RequestStats(), now }, previous);
      const first = await read(new Date());
      await world.emulators.control.addGroupMember(
        'AWS-Developers-PowerUser',
        'tom@example.com',
      );
      const seen = await read(new Date(), first);
      const observed = seen.changes.filter(c => c.source === 'delta');
      expect(observed).toEqual([
        expect.objectContaining({ kind: 'member-added' }),
      ]);

      const quiet = await read(new Date(), seen);
      expect(quiet.changes.filter(c => c.source === 'delta')).toEqual(observed);

      // Past the lookback (7 days by default), they are dropped like audit entries.
      const later = await read(new Date(Date.now() + 8 * 86_400_000), quiet);
      expect(later.changes.filter(c => c.source === 'delta')).toEqual([]);
    } finally {
      await world.emulators.close();
    }
  });
});
