import { startEmulatorWorld } from '../../__testUtils__/emulatorWorld';
import { RequestStats } from '../requests/RequestStats';

jest.setTimeout(60_000);

const TOKEN_ENDPOINT = 'POST /{tenant}/oauth2/v2.0/token';

/*
 * A sync can outlast a token: Graph then answers 401 InvalidAuthenticationToken ("Lifetime validation failed")
 * to the cached token. The reader gets a new token and carries on; the read does not fail.
 */
describe('Graph token renewal', () => {
  it('renews an access token that expires in the middle of a read', async () => {
    const world = await startEmulatorWorld();
    const { control } = world.emulators;
    try {
      await control.updateSettings({ graphTokenLifetimeSeconds: 600 });
      const read = () =>
        world.sources.identity!.read({
          stats: new RequestStats(),
          now: new Date(),
        });
      const before = await read();
      expect((await control.getCounters()).login[TOKEN_ENDPOINT]).toBe(1);

      // The group delta waits a second; meanwhile the emulator clock moves past the token's life.
      await control.injectFault({
        service: 'graph',
        operation: '/v1.0/groups/delta',
        kind: 'latency',
        delayMs: 1500,
      });
      const reading = read();
      await new Promise(resolve => setTimeout(resolve, 300));
      await control.advanceClock(700);
      const during = await reading;

      expect(during.users.map(u => u.id).sort()).toEqual(
        before.users.map(u => u.id).sort(),
      );
      expect(during.groups.map(g => g.id).sort()).toEqual(
        before.groups.map(g => g.id).sort(),
      );
      // One token for the first read, a second one after the first expired mid-run.
      expect((await control.getCounters()).login[TOKEN_ENDPOINT]).toBe(2);
    } finally {
      await world.emulators.close();
    }
  });
});
