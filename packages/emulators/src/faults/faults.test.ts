import type { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import {
  ListUsersCommand,
  paginateListUsers,
} from '@aws-sdk/client-identitystore';
import {
  DescribeOrganizationCommand,
  ListAccountsCommand,
} from '@aws-sdk/client-organizations';
import {
  ListInstancesCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import {
  awsClients,
  collect,
  SEED_SCENARIO,
  startSeed,
} from '../__testUtils__/clients';
import { EmulatorControlError } from '../control/client';
import { loadScenario } from '../scenario/parse';
import type { Emulators } from '../startEmulators';
import { startEmulators } from '../startEmulators';
import { TokenBucket } from './TokenBucket';

describe('TokenBucket', () => {
  it('should allow a burst, then refill at the rate and say how long to wait', () => {
    let now = 0;
    const bucket = TokenBucket.create({
      perSecond: 2,
      burst: 2,
      now: () => now,
    });
    expect(bucket.take()).toEqual({ ok: true });
    expect(bucket.take()).toEqual({ ok: true });
    expect(bucket.take()).toEqual({ ok: false, retryAfterSeconds: 1 });
    now = 500;
    expect(bucket.take()).toEqual({ ok: true });
    expect(bucket.take().ok).toBe(false);
  });
});

describe('fault injection (AWS)', () => {
  let emulators: Emulators;
  const IdentityStoreId = 'd-9067a1b2c3';

  beforeAll(async () => {
    emulators = await startSeed();
  });
  afterAll(() => emulators.close());
  beforeEach(() => emulators.control.reset());

  it('should fail page k of a listing, and count every attempt', async () => {
    const client = awsClients(emulators).identityStore;
    await emulators.control.injectFault({
      service: 'identitystore',
      operation: 'ListUsers',
      kind: 'http500',
      atCall: 2,
      times: 3,
    });
    await expect(
      collect(paginateListUsers({ client, pageSize: 4 }, { IdentityStoreId })),
    ).rejects.toMatchObject({
      name: 'InternalServerException',
      $metadata: { httpStatusCode: 500, attempts: 3 },
    });
    const counters = await emulators.control.getCounters();
    expect(counters.identitystore.ListUsers).toBe(4);
    expect(counters.totals.identitystore).toBe(4);
    const [fault] = await emulators.control.listFaults();
    // The first call counted too: it was the 1st matching call, page 2's three attempts the 2nd to 4th.
    expect(fault).toMatchObject({ seen: 4, fired: 3 });
  });

  it('should let the SDK retry through a single 500 at page k', async () => {
    const client = awsClients(emulators).identityStore;
    await emulators.control.injectFault({
      service: 'identitystore',
      operation: 'ListUsers',
      kind: 'http500',
      atCall: 2,
    });
    const pages = await collect(
      paginateListUsers({ client, pageSize: 4 }, { IdentityStoreId }),
    );
    expect(pages.flatMap(p => p.Users!)).toHaveLength(10);
    expect(
      (await emulators.control.getCounters()).identitystore.ListUsers,
    ).toBe(4);
  });

  it('should reset the connection', async () => {
    const client = awsClients(emulators, { maxAttempts: 1 }).ssoAdmin;
    await emulators.control.injectFault({
      service: 'sso-admin',
      operation: 'ListInstances',
      kind: 'reset',
    });
    await expect(client.send(new ListInstancesCommand({}))).rejects.toThrow(
      /socket hang up/,
    );
  });

  it('should accept and never answer until the client gives up', async () => {
    const client = new SSOAdminClient({
      region: 'us-east-1',
      endpoint: emulators.awsEndpoint,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      maxAttempts: 1,
      requestHandler: { requestTimeout: 300, throwOnRequestTimeout: true },
    });
    await emulators.control.injectFault({
      service: 'sso-admin',
      operation: 'ListInstances',
      kind: 'timeout',
    });
    const started = Date.now();
    await expect(
      client.send(new ListInstancesCommand({})),
    ).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    // The next call is answered.
    await client.send(new ListInstancesCommand({}));
  });

  it('should answer malformed and truncated bodies', async () => {
    const client: IdentitystoreClient = awsClients(emulators, {
      maxAttempts: 1,
    }).identityStore;
    await emulators.control.injectFault({
      service: 'identitystore',
      operation: 'ListUsers',
      kind: 'malformed',
    });
    await expect(
      client.send(new ListUsersCommand({ IdentityStoreId })),
    ).rejects.toThrow();
    await emulators.control.injectFault({
      service: 'identitystore',
      operation: 'ListUsers',
      kind: 'truncated',
    });
    await expect(
      client.send(new ListUsersCommand({ IdentityStoreId })),
    ).rejects.toThrow();
    // Faults are spent: the third call works.
    expect(
      (await client.send(new ListUsersCommand({ IdentityStoreId }))).Users,
    ).toHaveLength(10);
  });

  it('should answer expired tokens, access denied and added latency', async () => {
    const { organizations } = awsClients(emulators, { maxAttempts: 1 });
    await emulators.control.injectFault({
      service: 'organizations',
      operation: 'ListAccounts',
      kind: 'expired-token',
    });
    await expect(
      organizations.send(new ListAccountsCommand({})),
    ).rejects.toMatchObject({
      name: 'ExpiredTokenException',
      $metadata: { httpStatusCode: 400 },
    });
    await emulators.control.injectFault({
      service: 'organizations',
      operation: 'ListAccounts',
      kind: 'access-denied',
    });
    await expect(
      organizations.send(new ListAccountsCommand({})),
    ).rejects.toMatchObject({
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 403 },
    });
    await emulators.control.injectFault({
      service: 'organizations',
      operation: 'ListAccounts',
      kind: 'latency',
      delayMs: 400,
    });
    const started = Date.now();
    await organizations.send(new ListAccountsCommand({}));
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
  });

  it('should throttle Organizations with TooManyRequestsException', async () => {
    const { organizations } = awsClients(emulators, { maxAttempts: 1 });
    await emulators.control.setRateLimit('organizations', 1);
    await organizations.send(new ListAccountsCommand({}));
    await expect(
      organizations.send(new ListAccountsCommand({})),
    ).rejects.toMatchObject({
      name: 'TooManyRequestsException',
      $metadata: { httpStatusCode: 429 },
    });
  });

  it('should validate fault specs', async () => {
    const error = await emulators.control
      .injectFault({
        service: 'sso-admin',
        operation: 'ListInstances',
        kind: 'explode' as never,
      })
      .catch(e => e);
    expect(error).toBeInstanceOf(EmulatorControlError);
    expect(error).toMatchObject({
      status: 400,
      message: expect.stringContaining(
        'kind: must be one of http500, throttle',
      ),
    });
  });
});

describe('faults and limits from the scenario', () => {
  it("should apply the scenario's emulator section at start and after reset", async () => {
    const scenario = {
      ...loadScenario(SEED_SCENARIO),
      emulator: {
        faults: [
          {
            service: 'organizations' as const,
            operation: 'DescribeOrganization',
            kind: 'http500' as const,
            times: 3,
          },
        ],
        rateLimits: [{ service: 'aws' as const, perSecond: 20 }],
        assignmentDelayMs: 50,
      },
    };
    const emulators = await startEmulators({ scenario, autoScim: false });
    try {
      const { organizations } = awsClients(emulators, { maxAttempts: 1 });
      await expect(
        organizations.send(new DescribeOrganizationCommand({})),
      ).rejects.toMatchObject({
        name: 'ServiceException',
        $metadata: { httpStatusCode: 500 },
      });
      expect(await emulators.control.getSettings()).toMatchObject({
        assignmentDelayMs: 50,
        maxOutstandingAssignments: 10,
      });
      await emulators.control.reset();
      await expect(
        organizations.send(new DescribeOrganizationCommand({})),
      ).rejects.toMatchObject({ name: 'ServiceException' });
      const limits = await emulators.control.setRateLimit('graph', 5);
      expect(limits.rateLimits).toEqual([
        { service: 'aws', perSecond: 20, burst: 20 },
        { service: 'graph', perSecond: 5, burst: 5 },
      ]);
    } finally {
      await emulators.close();
    }
  });
});
