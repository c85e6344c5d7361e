import type {
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { mockServices } from '@backstage/backend-test-utils';
import type { Client } from '@microsoft/microsoft-graph-client';
import { startEmulatorWorld } from '../../__testUtils__/emulatorWorld';
import type { AccessSources } from '../../sources/ports';
import { createAccessSources } from '../../sources/createAccessSources';
import type { AwsClients } from '../../sources/identityCenter/awsClients';
import { createTestSyncService } from '../../__testUtils__/syncService';
import { SnapshotStore } from '../../store/SnapshotStore';

export type EmulatorWorld = Awaited<ReturnType<typeof startEmulatorWorld>>;

/**
 * What the readers see on the wire, changed between the emulators and the readers: the hook gets every Graph
 * response (by path) and every AWS output (by operation) and may edit it. Models what no emulator fault does:
 * a listing whose continuation token (NextToken, @odata.nextLink/deltaLink) goes missing mid-way.
 */
export interface WireTap {
  graph?: (path: string, response: any) => any;
  aws?: (operation: string, output: any) => any;
}

function tapGraph(client: Client, tap: () => WireTap): Client {
  return {
    api(path: string) {
      const request = client.api(path);
      // Every builder method chains as before; only the answer of get() goes through the tap.
      const wrapped: any = new Proxy(request, {
        get(target, property) {
          if (property === 'get') {
            return async () => {
              const response = await target.get();
              return tap().graph ? tap().graph!(path, response) : response;
            };
          }
          const value = (target as any)[property];
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            const result = value.apply(target, args);
            return result === target ? wrapped : result;
          };
        },
      });
      return wrapped;
    },
  } as unknown as Client;
}

function tapAws(clients: AwsClients, tap: () => WireTap): AwsClients {
  for (const client of Object.values(clients)) {
    const send = client.send.bind(client) as (
      command: any,
      options?: any,
    ) => Promise<any>;
    (client as any).send = async (command: any, options?: any) => {
      const output = await send(command, options);
      const operation = command.constructor.name.replace(/Command$/, '');
      return tap().aws ? tap().aws!(operation, output) : output;
    };
  }
  return clients;
}

/**
 * The sources of createAccessSources, built the same way from the world's config, with a wire tap between
 * them and the emulators.
 */
export async function tappedSources(
  world: EmulatorWorld,
  tap: () => WireTap,
): Promise<AccessSources> {
  return createAccessSources({
    rootConfig: world.rootConfig,
    config: world.config,
    wiring: {
      awsClients: clients => tapAws(clients, tap),
      graphClient: client => tapGraph(client, tap),
    },
  });
}

/**
 * Emulators (seed org) + a snapshot store + a sync service with fast retries, every definition re-read each run
 * and Graph pages of three, so every operation is on the path of every run and directory listings have pages.
 */
export async function startFaultWorld(
  databases: TestDatabases,
  databaseId: TestDatabaseId,
  options: { requestTimeoutMs: number; tap?: () => WireTap },
) {
  const world = await startEmulatorWorld({
    overrides: {
      identityCenter: {
        detailsRefresh: { milliseconds: 0 },
        requestTimeout: { milliseconds: options.requestTimeoutMs },
      },
      retries: { maxAttempts: 2, baseDelay: { milliseconds: 5 } },
    },
  });
  // Pages of three, also for delta listings (the reader asks for 999): the directory's listings have pages.
  await world.emulators.control.updateSettings({
    graphDefaultPageSize: 3,
    graphMaxDeltaPageSize: 3,
  });
  const knex = await databases.init(databaseId);
  const store = await SnapshotStore.create({
    database: mockServices.database({ knex, migrations: { skip: false } }),
  });
  const sync = createTestSyncService(world, {
    store,
    sources: options.tap
      ? await tappedSources(world, options.tap)
      : world.sources,
    timeoutMs: 120_000,
  });
  // A short request timeout can be hit for real on a busy machine: the first (full) sync may take a retry.
  for (let attempt = 1; ; attempt++) {
    const first = await sync.run();
    if (first.outcome === 'succeeded') break;
    if (attempt === 3)
      throw new Error(
        `The first sync of the fault world failed: ${JSON.stringify(
          first.error,
        )}`,
      );
  }
  return { world, knex, store, sync };
}

/**
 * Waits until the emulator has answered everything the previous run sent: requests a failed run aborted can
 * still be in the emulator's queue, and would otherwise consume the next injected fault.
 */
export async function settle(world: EmulatorWorld) {
  let last = -1;
  for (;;) {
    const total = (await world.emulators.control.getCounters()).totals.all;
    if (total === last) return;
    last = total;
    await new Promise(resolve => setTimeout(resolve, 5));
  }
}
