import type {
  SchedulerService,
  SchedulerServiceTaskInvocationDefinition,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import type { EntityProviderMutation } from '@backstage/plugin-catalog-node';
import type { CatalogProjection } from '@aws-access/plugin-aws-access-common';
import { AWS_ACCESS_SNAPSHOT_COMMITTED_TOPIC } from '@aws-access/plugin-aws-access-common';
import type { AwsAccessService } from '@aws-access/plugin-aws-access-node';
import { createCapturingLogger } from '@aws-access/test-utils';
import { SEED_GROUP_IDS, seedProjection } from '../__fixtures__/seedProjection';
import { AwsAccessEntityProvider } from './AwsAccessEntityProvider';
import { buildProjectionIndex } from './projection';

/** Captures the scheduled task so the test can run it (the msgraph tests' PersistingTaskRunner idea). */
class CapturingTaskRunner implements SchedulerServiceTaskRunner {
  tasks: SchedulerServiceTaskInvocationDefinition[] = [];
  async run(task: SchedulerServiceTaskInvocationDefinition) {
    this.tasks.push(task);
  }
}

async function setup(
  options: {
    awsAccess?: Record<string, any>;
    projection?: CatalogProjection | (() => Promise<CatalogProjection>);
  } = {},
) {
  const taskRunner = new CapturingTaskRunner();
  const scheduler = {
    createScheduledTaskRunner: jest.fn(() => taskRunner),
  } as unknown as SchedulerService;
  const getCatalogProjection = jest.fn<Promise<CatalogProjection>, []>();
  if (typeof options.projection === 'function') {
    getCatalogProjection.mockImplementation(options.projection);
  } else if (options.projection) {
    getCatalogProjection.mockResolvedValue(options.projection);
  }
  const awsAccess = {
    getCatalogProjection,
    getSyncStatus: jest.fn(),
  } as unknown as AwsAccessService & {
    getCatalogProjection: typeof getCatalogProjection;
  };
  const events = mockServices.events();
  const logger = createCapturingLogger();
  const provider = AwsAccessEntityProvider.fromConfig(
    new ConfigReader({
      app: { baseUrl: 'http://localhost:3000' },
      catalog: {
        providers: {
          // Every relation, so refreshes of related principals show; the shipped default relates none.
          awsAccess: options.awsAccess ?? { relations: 'all' },
        },
      },
    }),
    { logger, scheduler, awsAccess, events },
  );
  const connection = {
    applyMutation: jest.fn<Promise<void>, [EntityProviderMutation]>(
      async () => {},
    ),
    refresh: jest.fn(async (_: { keys: string[] }) => {}),
  };
  await provider.connect(connection);
  return {
    provider,
    connection,
    awsAccess,
    events,
    logger,
    taskRunner,
    scheduler,
  };
}

const refsOf = (mutation: EntityProviderMutation) =>
  (mutation.type === 'full' ? mutation.entities : mutation.added)
    .map(d => stringifyEntityRef(d.entity))
    .sort();

describe('AwsAccessEntityProvider', () => {
  it('should have a stable name and schedule its refresh task', async () => {
    const { provider, taskRunner, scheduler } = await setup();
    expect(provider.getProviderName()).toBe('AwsAccessEntityProvider:default');
    expect(taskRunner.tasks.map(t => t.id)).toEqual([
      'AwsAccessEntityProvider:default:refresh',
    ]);
    expect(scheduler.createScheduledTaskRunner).toHaveBeenCalledWith({
      frequency: { minutes: 30 },
      timeout: { minutes: 10 },
      initialDelay: { seconds: 15 },
    });

    const named = await setup({ awsAccess: { corp: { mode: 'emit' } } });
    expect(named.provider.getProviderName()).toBe(
      'AwsAccessEntityProvider:corp',
    );
  });

  it('should apply a full mutation with the exact entities on the first refresh', async () => {
    const projection = seedProjection();
    const { provider, connection, logger } = await setup({ projection });

    const outcome = await provider.refresh();

    expect(outcome).toMatchObject({
      status: 'applied',
      mutation: 'full',
      snapshotVersion: 1,
      counts: { added: 17, updated: 0, removed: 0, unchanged: 0 },
    });
    const expected = await buildProjectionIndex(projection, {
      providerId: 'default',
      mode: 'link',
      ownerTag: 'owner',
      defaultOwner: 'group:default/platform-team',
      relations: 'all',
      linkAccountsFromUpstream: false,
      accessPageUrl: 'http://localhost:3000/aws-access',
    });
    expect(connection.applyMutation).toHaveBeenCalledTimes(1);
    expect(connection.applyMutation).toHaveBeenCalledWith({
      type: 'full',
      entities: expected.entities.map(entity => ({
        entity,
        locationKey: 'aws-access-provider:default',
      })),
    });
    const mutation = connection.applyMutation.mock.calls[0][0];
    expect(
      refsOf(mutation).filter(r => r.startsWith('resource:default/aws-ps-')),
    ).toHaveLength(5);
    for (const { entity } of mutation.type === 'full'
      ? mutation.entities
      : []) {
      expect(
        entity.metadata.annotations!['backstage.io/managed-by-location'],
      ).toBe(`aws-access:default/resource/${entity.metadata.name}`);
    }
    // link mode never emits Users or Groups
    expect(refsOf(mutation).some(r => /^(user|group):/.test(r))).toBe(false);

    // every principal with access gets its relations recomputed
    expect(connection.refresh).toHaveBeenCalledWith({
      keys: expect.arrayContaining([
        `aws-access:group:${SEED_GROUP_IDS['AWS-Developers-ReadOnly']}`,
        'aws-access:entity:group:default/aws-developers-readonly',
      ]),
    });
    expect(logger.records).toContainEqual(
      expect.objectContaining({
        level: 'info',
        meta: expect.objectContaining({
          snapshotVersion: 1,
          mutation: 'full',
          added: 17,
          removed: 0,
          unchanged: 0,
        }),
      }),
    );
  });

  it('should emit Groups and Users in emit mode', async () => {
    const { provider, connection } = await setup({
      projection: seedProjection(),
      awsAccess: { mode: 'emit', relations: 'all' },
    });
    await provider.refresh();
    const refs = refsOf(connection.applyMutation.mock.calls[0][0]);
    expect(refs.filter(r => r.startsWith('group:'))).toHaveLength(6);
    expect(refs.filter(r => r.startsWith('user:'))).toHaveLength(8);
    expect(refs).toContain('group:default/aws-developers-readonly');
    expect(refs).toContain('user:default/aamir_example.com');
  });

  it('should apply a delta computed against what it emitted before', async () => {
    const v1 = seedProjection();
    const v2 = seedProjection({ snapshotVersion: 2 });
    v2.accounts = v2.accounts.filter(a => a.name !== 'web-prod');
    v2.accounts.push({
      ...v2.accounts[0],
      id: '200000000010',
      name: 'analytics',
      arn: 'arn:aws:organizations::100000000001:account/o-a1b2c3d4e5/200000000010',
    });
    v2.accounts.find(a => a.name === 'payments-dev')!.tags.owner =
      'payments-team';
    v2.assignments = v2.assignments.filter(a => a.accountId !== '200000000005');

    const { provider, connection, awsAccess } = await setup({ projection: v1 });
    await provider.refresh();
    connection.applyMutation.mockClear();
    connection.refresh.mockClear();

    awsAccess.getCatalogProjection.mockResolvedValue(v2);
    await expect(provider.refresh()).resolves.toMatchObject({
      status: 'applied',
      mutation: 'delta',
      counts: { added: 1, updated: 1, removed: 1, unchanged: 15 },
    });

    expect(connection.applyMutation).toHaveBeenCalledTimes(1);
    const mutation = connection.applyMutation.mock.calls[0][0];
    expect(mutation.type).toBe('delta');
    if (mutation.type !== 'delta') throw new Error('expected delta');
    expect(refsOf(mutation)).toEqual([
      'resource:default/analytics',
      'resource:default/payments-dev',
    ]);
    expect(mutation.removed).toEqual([
      {
        entityRef: 'resource:default/web-prod',
        locationKey: 'aws-access-provider:default',
      },
    ]);

    // groups that lost web-prod (and admin, which gained analytics) get reprocessed; the data group does not
    const keys = connection.refresh.mock.calls.flatMap(c => c[0].keys);
    expect(keys).toEqual(
      expect.arrayContaining([
        `aws-access:group:${SEED_GROUP_IDS['AWS-Developers-ReadOnly']}`,
        `aws-access:group:${SEED_GROUP_IDS['AWS-Developers-PowerUser']}`,
        `aws-access:group:${SEED_GROUP_IDS['AWS-Developers-Admin']}`,
      ]),
    );
    expect(keys).not.toContain(
      `aws-access:group:${SEED_GROUP_IDS['AWS-Data-Analysts']}`,
    );
  });

  it('should not apply anything when the projection cannot be fetched', async () => {
    const { provider, connection, awsAccess, logger } = await setup({
      projection: () => Promise.reject(new Error('503 Service Unavailable')),
    });
    await expect(provider.refresh()).resolves.toMatchObject({
      status: 'fetch-failed',
    });
    expect(connection.applyMutation).not.toHaveBeenCalled();

    awsAccess.getCatalogProjection.mockResolvedValueOnce(seedProjection());
    await provider.refresh();
    expect(connection.applyMutation).toHaveBeenCalledTimes(1);

    awsAccess.getCatalogProjection.mockRejectedValueOnce(
      new Error('ECONNRESET'),
    );
    await expect(provider.refresh()).resolves.toMatchObject({
      status: 'fetch-failed',
    });
    expect(connection.applyMutation).toHaveBeenCalledTimes(1);
    expect(
      logger.records.filter(r => r.level === 'warn').map(r => r.message),
    ).toEqual(expect.arrayContaining([expect.stringContaining('ECONNRESET')]));
  });

  it('should not apply anything for a malformed response', async () => {
    const { provider, connection } = await setup({
      projection: {
        snapshotVersion: 3,
        accounts: 'nope',
      } as unknown as CatalogProjection,
    });
    await expect(provider.refresh()).resolves.toMatchObject({
      status: 'invalid',
    });
    expect(connection.applyMutation).not.toHaveBeenCalled();
  });

  it('should not apply an older snapshot version, nor a different projection with the same version', async () => {
    const { provider, connection, awsAccess } = await setup({
      projection: seedProjection({ snapshotVersion: 5 }),
    });
    await provider.refresh();
    expect(connection.applyMutation).toHaveBeenCalledTimes(1);

    const older = seedProjection({ snapshotVersion: 4 });
    older.accounts = older.accounts.slice(0, 3);
    awsAccess.getCatalogProjection.mockResolvedValueOnce(older);
    await expect(provider.refresh()).resolves.toMatchObject({
      status: 'older-version',
    });

    // the backend keeps serving the previous snapshot while a mass-delete is held; same version → nothing
    const sameVersion = seedProjection({ snapshotVersion: 5 });
    sameVersion.accounts = sameVersion.accounts.slice(0, 8);
    awsAccess.getCatalogProjection.mockResolvedValueOnce(sameVersion);
    await expect(provider.refresh()).resolves.toMatchObject({
      status: 'same-version',
    });

    expect(connection.applyMutation).toHaveBeenCalledTimes(1);
  });

  it('should not apply a projection without accounts, before or after a non-empty one', async () => {
    const empty = seedProjection({
      snapshotVersion: 2,
      accounts: [],
      assignments: [],
    });
    const { provider, connection, awsAccess } = await setup({
      projection: empty,
    });
    await expect(provider.refresh()).resolves.toMatchObject({
      status: 'empty',
    });
    expect(connection.applyMutation).not.toHaveBeenCalled();

    awsAccess.getCatalogProjection.mockResolvedValueOnce(
      seedProjection({ snapshotVersion: 1 }),
    );
    await provider.refresh();
    expect(connection.applyMutation).toHaveBeenCalledTimes(1);

    awsAccess.getCatalogProjection.mockResolvedValueOnce(
      seedProjection({
        snapshotVersion: 3,
        accounts: [],
        permissionSets: [],
        assignments: [],
      }),
    );
    await expect(provider.refresh()).resolves.toMatchObject({
      status: 'empty',
    });
    expect(connection.applyMutation).toHaveBeenCalledTimes(1);
  });

  it('should never apply a mutation that removes everything it emitted', async () => {
    const { provider, connection, awsAccess } = await setup({
      projection: seedProjection(),
    });
    await provider.refresh();

    const renamed = seedProjection({ snapshotVersion: 2 });
    renamed.accounts = renamed.accounts.map(a => ({
      ...a,
      name: `x-${a.name}`,
    }));
    renamed.permissionSets = renamed.permissionSets.map(p => ({
      ...p,
      name: `X${p.name}`,
    }));
    awsAccess.getCatalogProjection.mockResolvedValueOnce(renamed);

    await expect(provider.refresh()).resolves.toMatchObject({
      status: 'refused',
    });
    expect(connection.applyMutation).toHaveBeenCalledTimes(1);
  });

  it('should refuse the first full mutation when most records could not be mapped', async () => {
    const projection = seedProjection();
    projection.accounts = projection.accounts.map((a, i) =>
      i < 10 ? { ...a, id: 'garbage' } : a,
    );
    projection.permissionSets = [];
    const { provider, connection } = await setup({ projection });
    await expect(provider.refresh()).resolves.toMatchObject({
      status: 'refused',
    });
    expect(connection.applyMutation).not.toHaveBeenCalled();
  });

  it('should do nothing to entities when only relations changed, but reprocess the affected principals', async () => {
    const { provider, connection, awsAccess } = await setup({
      projection: seedProjection(),
    });
    await provider.refresh();
    connection.refresh.mockClear();

    const v2 = seedProjection({ snapshotVersion: 2 });
    v2.assignments = v2.assignments.filter(
      a => a.principal.displayName !== 'AWS-Data-Analysts',
    );
    awsAccess.getCatalogProjection.mockResolvedValueOnce(v2);
    await expect(provider.refresh()).resolves.toMatchObject({
      status: 'unchanged',
      mutation: 'none',
      refreshedKeys: 2,
    });
    expect(connection.applyMutation).toHaveBeenCalledTimes(1);
    expect(connection.refresh).toHaveBeenCalledWith({
      keys: [
        'aws-access:entity:group:default/aws-data-analysts',
        `aws-access:group:${SEED_GROUP_IDS['AWS-Data-Analysts']}`,
      ],
    });
  });

  it('should refresh when the backend announces a new snapshot, and skip announcements it already has', async () => {
    const { provider, connection, awsAccess, events } = await setup({
      projection: seedProjection({ snapshotVersion: 7 }),
      // each announcement at once, to see what each one does (pacing is tested below)
      awsAccess: { relations: 'all', eventRefreshMinInterval: { seconds: 0 } },
    });
    await events.publish({
      topic: AWS_ACCESS_SNAPSHOT_COMMITTED_TOPIC,
      eventPayload: { snapshotVersion: 7 },
    });
    expect(awsAccess.getCatalogProjection).toHaveBeenCalledTimes(1);
    expect(connection.applyMutation).toHaveBeenCalledTimes(1);

    await events.publish({
      topic: AWS_ACCESS_SNAPSHOT_COMMITTED_TOPIC,
      eventPayload: { snapshotVersion: 6 },
    });
    expect(awsAccess.getCatalogProjection).toHaveBeenCalledTimes(1);

    const v8 = seedProjection({ snapshotVersion: 8 });
    v8.accounts.pop();
    awsAccess.getCatalogProjection.mockResolvedValueOnce(v8);
    await events.publish({
      topic: AWS_ACCESS_SNAPSHOT_COMMITTED_TOPIC,
      eventPayload: { snapshotVersion: 8 },
    });
    expect(connection.applyMutation).toHaveBeenCalledTimes(2);
    expect(connection.applyMutation.mock.calls[1][0].type).toBe('delta');
    void provider;
  });

  it('should refresh from the scheduled task', async () => {
    const { taskRunner, connection } = await setup({
      projection: seedProjection(),
    });
    await taskRunner.tasks[0].fn(new AbortController().signal);
    expect(connection.applyMutation).toHaveBeenCalledTimes(1);
  });

  it('should coalesce concurrent refreshes', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>(resolve => {
      release = resolve;
    });
    const { provider, awsAccess, connection } = await setup({
      projection: async () => {
        await gate;
        return seedProjection();
      },
    });
    const first = provider.refresh();
    const second = provider.refresh();
    const third = provider.refresh();
    release();
    await Promise.all([first, second, third]);
    // one run plus one coalesced rerun (which sees the same version)
    expect(awsAccess.getCatalogProjection).toHaveBeenCalledTimes(2);
    expect(connection.applyMutation).toHaveBeenCalledTimes(1);
  });

  describe('pacing announcements (eventRefreshMinInterval)', () => {
    beforeEach(() => {
      // Date and setTimeout are faked; the refresh's own slicing (setImmediate, performance) runs for real.
      jest.useFakeTimers({
        now: new Date('2026-12-07T06:00:00Z'),
        doNotFake: [
          'setImmediate',
          'nextTick',
          'queueMicrotask',
          'performance',
        ],
      });
    });
    afterEach(() => {
      jest.useRealTimers();
    });

    const announce = (events: { publish: Function }, snapshotVersion: number) =>
      events.publish({
        topic: AWS_ACCESS_SNAPSHOT_COMMITTED_TOPIC,
        eventPayload: { snapshotVersion },
      });

    /** Lets the refreshes that the timers started finish (they fetch at once, then work in slices). */
    async function until(check: () => boolean) {
      for (let i = 0; i < 10_000 && !check(); i++) {
        await new Promise(resolve => setImmediate(resolve));
      }
    }

    /** A projection source that serves version `current.version` and counts the fetches in flight. */
    function versions() {
      const current = { version: 1, inFlight: 0, mostInFlight: 0 };
      let release: (() => void) | undefined;
      const source = {
        current,
        /** Holds the next fetches until `releaseAll` (a slow refresh). */
        hold() {
          const gate = new Promise<void>(resolve => {
            release = resolve;
          });
          source.gate = gate;
        },
        releaseAll() {
          release?.();
          source.gate = undefined;
        },
        gate: undefined as Promise<void> | undefined,
        projection: async () => {
          current.inFlight += 1;
          current.mostInFlight = Math.max(
            current.mostInFlight,
            current.inFlight,
          );
          // the version committed when the request arrives; each changes an owner, so each applies a mutation
          const projection = seedProjection({
            snapshotVersion: current.version,
          });
          projection.accounts[0].tags.owner = `team-${current.version}`;
          try {
            await source.gate;
            return projection;
          } finally {
            current.inFlight -= 1;
          }
        },
      };
      return source;
    }

    it('should serve a burst of announcements within the interval with one refresh when it has passed', async () => {
      const source = versions();
      // the default interval, 30 seconds
      const { connection, awsAccess, events } = await setup({
        projection: source.projection,
      });

      await announce(events, 1);
      expect(awsAccess.getCatalogProjection).toHaveBeenCalledTimes(1);
      expect(connection.applyMutation).toHaveBeenCalledTimes(1);

      for (const version of [2, 3, 4]) {
        await jest.advanceTimersByTimeAsync(5_000);
        source.current.version = version;
        await announce(events, version);
      }
      await jest.advanceTimersByTimeAsync(14_999); // 29.999 s after the first refresh started
      expect(awsAccess.getCatalogProjection).toHaveBeenCalledTimes(1);

      await jest.advanceTimersByTimeAsync(1);
      expect(awsAccess.getCatalogProjection).toHaveBeenCalledTimes(2);
      await until(() => connection.applyMutation.mock.calls.length === 2);
      expect(connection.applyMutation).toHaveBeenCalledTimes(2);

      // nothing more is pending
      await jest.advanceTimersByTimeAsync(120_000);
      expect(awsAccess.getCatalogProjection).toHaveBeenCalledTimes(2);
    });

    it('should refresh at once when the interval since the last refresh started has passed, and defer otherwise', async () => {
      const source = versions();
      const { connection, awsAccess, events } = await setup({
        projection: source.projection,
        awsAccess: { relations: 'all', eventRefreshMinInterval: 'PT10S' },
      });
      await announce(events, 1);
      expect(awsAccess.getCatalogProjection).toHaveBeenCalledTimes(1);

      await jest.advanceTimersByTimeAsync(10_000);
      source.current.version = 2;
      await announce(events, 2);
      // at once: the announcement's delivery waits for the refresh, as before
      expect(awsAccess.getCatalogProjection).toHaveBeenCalledTimes(2);
      expect(connection.applyMutation).toHaveBeenCalledTimes(2);

      await jest.advanceTimersByTimeAsync(4_000);
      source.current.version = 3;
      await announce(events, 3);
      expect(awsAccess.getCatalogProjection).toHaveBeenCalledTimes(2);
      await jest.advanceTimersByTimeAsync(6_000);
      expect(awsAccess.getCatalogProjection).toHaveBeenCalledTimes(3);
      await until(() => connection.applyMutation.mock.calls.length === 3);
      expect(connection.applyMutation).toHaveBeenCalledTimes(3);
    });

    it('should refresh at once for every announcement with an interval of 0', async () => {
      const source = versions();
      const { connection, awsAccess, events } = await setup({
        projection: source.projection,
        awsAccess: { relations: 'all', eventRefreshMinInterval: '0ms' },
      });
      for (const version of [1, 2, 3]) {
        source.current.version = version;
        await announce(events, version);
      }
      expect(awsAccess.getCatalogProjection).toHaveBeenCalledTimes(3);
      expect(connection.applyMutation).toHaveBeenCalledTimes(3);
    });

    it('should not pace scheduled or explicit refreshes, and let one started meanwhile serve a deferred announcement', async () => {
      const source = versions();
      const { provider, connection, awsAccess, events, taskRunner } =
        await setup({ projection: source.projection });
      await announce(events, 1);

      await jest.advanceTimersByTimeAsync(1_000);
      source.current.version = 2;
      await announce(events, 2);
      expect(awsAccess.getCatalogProjection).toHaveBeenCalledTimes(1);

      await jest.advanceTimersByTimeAsync(1_000);
      await taskRunner.tasks[0].fn(new AbortController().signal);
      expect(awsAccess.getCatalogProjection).toHaveBeenCalledTimes(2);
      expect(connection.applyMutation).toHaveBeenCalledTimes(2);

      source.current.version = 3;
      await expect(provider.refresh()).resolves.toMatchObject({
        status: 'applied',
        snapshotVersion: 3,
      });

      // the scheduled refresh fetched version 2: the deferred one is gone
      await jest.advanceTimersByTimeAsync(120_000);
      expect(awsAccess.getCatalogProjection).toHaveBeenCalledTimes(3);
    });

    it('should never run a deferred refresh alongside a slow one', async () => {
      const source = versions();
      const { connection, awsAccess, events } = await setup({
        projection: source.projection,
      });
      source.hold();
      const first = announce(events, 1); // takes 40 s

      await jest.advanceTimersByTimeAsync(1_000);
      source.current.version = 2;
      await announce(events, 2);
      await jest.advanceTimersByTimeAsync(39_000); // the deferred refresh came due at 30 s
      expect(awsAccess.getCatalogProjection).toHaveBeenCalledTimes(1);

      source.releaseAll();
      await first;
      await until(() => connection.applyMutation.mock.calls.length === 2);
      expect(awsAccess.getCatalogProjection).toHaveBeenCalledTimes(2);
      expect(source.current.mostInFlight).toBe(1);
      expect(connection.applyMutation).toHaveBeenCalledTimes(2);
    });
  });
});
