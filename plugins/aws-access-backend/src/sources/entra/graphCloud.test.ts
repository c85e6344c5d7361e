import { loadScenario } from '@aws-access/emulators';
import { SEED_SCENARIO } from '@aws-access/test-utils';
import { startEmulatorWorld } from '../../__testUtils__/emulatorWorld';
import { RequestStats } from '../requests/RequestStats';

jest.setTimeout(60_000);

/*
 * Entra issues tokens for a Graph resource by its cloud's name (https://graph.microsoft.com, graph.microsoft.us, …),
 * whatever host the requests then go to. The emulator's token endpoint refuses any other resource (AADSTS500011),
 * so these fail if the reader derives its scope from `graphBaseUrl` (here the emulator's own https://127.0.0.1:…).
 */
describe('Graph token scope by cloud', () => {
  const read = (world: Awaited<ReturnType<typeof startEmulatorWorld>>) =>
    world.sources.identity!.read({
      stats: new RequestStats(),
      now: new Date(),
    });

  it('asks for the public cloud Graph while requests go to another host', async () => {
    const world = await startEmulatorWorld();
    try {
      expect(world.config.entra!.graphScope).toBe(
        'https://graph.microsoft.com/.default',
      );
      expect((await read(world)).users.length).toBeGreaterThan(0);
    } finally {
      await world.emulators.close();
    }
  });

  it('asks a US Government tenant for graph.microsoft.us, and nothing else works there', async () => {
    const scenario = loadScenario(SEED_SCENARIO);
    scenario.entra!.cloud = 'usGov';
    const usGov = await startEmulatorWorld({
      scenario,
      overrides: { entra: { cloud: 'usGov' } },
    });
    try {
      expect(usGov.config.entra!.graphScope).toBe(
        'https://graph.microsoft.us/.default',
      );
      expect((await read(usGov)).users.length).toBeGreaterThan(0);
    } finally {
      await usGov.emulators.close();
    }

    const wrongCloud = await startEmulatorWorld({ scenario });
    try {
      await expect(read(wrongCloud)).rejects.toThrow(/AADSTS500011/);
    } finally {
      await wrongCloud.emulators.close();
    }
  });
});
