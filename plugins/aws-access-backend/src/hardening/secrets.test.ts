import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { auditorServiceFactory } from '@backstage/backend-defaults/auditor';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { JsonObject } from '@backstage/types';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { Emulators } from '@aws-access/emulators';
import {
  DEFAULT_APP_REGISTRATION,
  loadScenario,
  startEmulators,
} from '@aws-access/emulators';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import {
  SEED_SCENARIO,
  createCapturingLogger,
  emulatorConfigData,
  logText,
  SEED_SANDBOX_BASELINE,
} from '@aws-access/test-utils';
import {
  catalogEntitiesOf,
  ownershipOf,
  permissionsDecidingUsersBy,
} from '../__testUtils__/testBackend';
import { awsAccessPlugin } from '../plugin';

/*
 * Issue 11, S5: distinctive fake secrets set in config never appear in logs (the real auditor included), API
 * responses (bodies and headers) or error messages: through a full sync, every route as an engineer, the
 * platform team and a service, an onboarding apply through the write role, and the failure paths (the role
 * assumption failing, Graph refusing the token, an unknown tenant at sign-in, bad config at startup). That the
 * frontend never gets them is checked on the config schema (packages/backend, frontendConfig.test.ts).
 */

jest.setTimeout(120_000);

const CANARIES = {
  entraClientSecret: 'AWSACCESS-CANARY-SECRET-1',
  readExternalId: 'AWSACCESS-CANARY-EXTERNAL-ID-2',
  awsSecretAccessKey: 'AWSACCESS-CANARY-AWS-SECRET-KEY-3',
  writeExternalId: 'AWSACCESS-CANARY-WRITE-EXTERNAL-ID-4',
};
const canaryPattern = new RegExp(Object.values(CANARIES).join('|'));
const SARA = 'user:default/sara_example.com';
const AAMIR = 'user:default/aamir_example.com';
const SHEN = 'user:default/shen.li_example.com';
const as = (ref: string) => mockCredentials.user.header(ref);

/** Config with a canary in every secret the plugin reads. */
function canaryConfig(
  emulators: Emulators,
  awsAccess: Record<string, unknown> = {},
) {
  const management =
    emulators.scenario.identityCenter.organization.managementAccountId;
  const data: Record<string, any> = emulatorConfigData(emulators, {
    identityCenter: {
      roleArn: `arn:aws:iam::${management}:role/backstage-aws-access-read`,
      externalId: CANARIES.readExternalId,
    },
    entra: { clientSecret: CANARIES.entraClientSecret },
    write: {
      roleArn: `arn:aws:iam::${management}:role/backstage-aws-access-write`,
      externalId: CANARIES.writeExternalId,
      pollInterval: { milliseconds: 20 },
    },
    baseline: SEED_SANDBOX_BASELINE,
    schedule: { frequency: { hours: 1 }, timeout: { minutes: 5 } },
    retries: { maxAttempts: 2, baseDelay: { milliseconds: 5 } },
    pollInterval: { milliseconds: 50 },
    ...awsAccess,
  });
  data.aws = {
    mainAccount: {
      accessKeyId: 'AKIACANARYMAINACCOUNT',
      secretAccessKey: CANARIES.awsSecretAccessKey,
    },
  };
  return data;
}

/** The plugin with the real auditor (it logs), a capturing root logger, and the demo's permission decisions. */
async function startCanaryBackend(
  emulators: Emulators,
  data: Record<string, unknown>,
) {
  const configData = data as JsonObject;
  const logger = createCapturingLogger();
  const claims = (credentials: BackstageCredentials) =>
    credentials.principal && (credentials.principal as any).type === 'user'
      ? ownershipOf(emulators, (credentials.principal as any).userEntityRef)
      : [];
  const decide = (name: string, credentials: BackstageCredentials) =>
    claims(credentials).includes('group:default/platform-team') ||
    name === 'aws-access.provision.self'
      ? { result: AuthorizeResult.ALLOW }
      : { result: AuthorizeResult.DENY };
  const backend = await startTestBackend({
    features: [
      awsAccessPlugin,
      mockServices.rootConfig.factory({ data: configData }),
      createServiceFactory({
        service: coreServices.rootLogger,
        deps: {},
        factory: () => logger,
      }),
      auditorServiceFactory,
      catalogServiceMock.factory({ entities: catalogEntitiesOf(emulators) }),
      mockServices.userInfo.mock({
        getUserInfo: async credentials => ({
          userEntityRef: (credentials.principal as any).userEntityRef,
          ownershipEntityRefs: claims(credentials),
        }),
      }).factory,
      permissionsDecidingUsersBy((permission, credentials) =>
        decide(permission.name, credentials),
      ),
    ],
  });
  return { backend, logger };
}

/** Every route of the API's route files, parameters filled in. */
function routes(): Array<[string, string]> {
  // eslint-disable-next-line no-restricted-syntax -- tests run from source
  const api = path.resolve(__dirname, '../api');
  const source = fs
    .readdirSync(api)
    .filter(file => /^(router|\w+Routes)\.ts$/.test(file))
    .map(file => fs.readFileSync(path.join(api, file), 'utf8'))
    .join('\n');
  return [...source.matchAll(/router\.(get|post)\('([^']+)'/g)].map(
    ([, method, route]) => [
      method,
      route
        .replace(
          ':entityRef',
          encodeURIComponent(
            route.startsWith('/groups/') ? 'group:default/backend-team' : SHEN,
          ),
        )
        .replace(':accountId', '200000000007')
        .replace(':name', 'DeveloperReadOnly'),
    ],
  );
}

describe('secrets in config never leave the backend', () => {
  let emulators: Emulators;
  const exposed: Array<{ where: string; text: string }> = [];
  const scan = () =>
    exposed
      .filter(e => canaryPattern.test(e.text))
      .map(e => `${e.where}: ${e.text.match(canaryPattern)![0]}`);

  beforeAll(async () => {
    process.env.AWS_ACCESS_KEY_ID ??= 'AKIAEMULATOR';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'emulator-secret';
    // The app registration takes the canary as its secret: the emulated token endpoint checks it.
    const scenario = loadScenario(SEED_SCENARIO);
    scenario.entra!.appRegistrations = [
      {
        ...DEFAULT_APP_REGISTRATION,
        clientSecret: CANARIES.entraClientSecret,
      },
    ];
    emulators = await startEmulators({ scenario, autoScim: false });
    await emulators.control.updateSettings({ assignmentDelayMs: 20 });
  });
  afterAll(async () => {
    await emulators?.close();
  });

  it('a full sync, every route, an apply, and the failure paths: no canary anywhere', async () => {
    // The role assumption fails at first: the first sync fails on it.
    await emulators.control.injectFault({
      service: 'sts',
      operation: 'AssumeRole',
      kind: 'http500',
      times: 100,
    });
    const { backend, logger } = await startCanaryBackend(
      emulators,
      canaryConfig(emulators),
    );
    const api = () => request(backend.server);
    const record = (where: string, response: request.Response) =>
      exposed.push({
        where,
        text: `${response.status} ${JSON.stringify(response.headers)} ${
          response.text
        }`,
      });
    try {
      // The run this request started: one that began after it and has finished (not one queued earlier).
      const sync = async (who: string) => {
        const asked = new Date().toISOString();
        const response = await api()
          .post('/api/aws-access/sync')
          .set('Authorization', who);
        record(`POST /sync`, response);
        for (let i = 0; ; i++) {
          const status = await api()
            .get('/api/aws-access/sync/status')
            .set('Authorization', as(SARA));
          record('GET /sync/status', status);
          const run = status.body.lastRun;
          if ((run?.startedAt >= asked && run?.finishedAt) || i >= 200)
            return status.body;
          await new Promise(resolve => setTimeout(resolve, 25));
        }
      };
      const first = await api()
        .get('/api/aws-access/sync/status')
        .set('Authorization', as(SARA));
      record('GET /sync/status (first sync)', first);
      expect(first.body.lastRun).toMatchObject({ outcome: 'failed' });

      // Graph refuses the token, then denies access; AWS denies access.
      await emulators.control.clearFaults();
      for (const fault of [
        {
          service: 'graph',
          operation: '/v1.0/servicePrincipals',
          kind: 'expired-token',
        },
        {
          service: 'graph',
          operation: '/v1.0/users/delta',
          kind: 'access-denied',
        },
        {
          service: 'identitystore',
          operation: 'ListUsers',
          kind: 'access-denied',
        },
        {
          service: 'sso-admin',
          operation: 'ListPermissionSets',
          kind: 'expired-token',
        },
      ] as const) {
        await emulators.control.clearFaults();
        // For as long as it is checked: an expired Graph token is renewed and sent again, and a failed run may
        // be followed by another before the status is read.
        await emulators.control.injectFault({ ...fault, times: 1000 });
        expect((await sync(as(SARA))).lastRun).toMatchObject({
          outcome: 'failed',
          error: { source: fault.service },
        });
      }
      await emulators.control.clearFaults();
      expect(
        (await sync(mockCredentials.service.header())).lastRun,
      ).toMatchObject({ outcome: 'succeeded' });

      // Every route, as an engineer, as the platform team and as a service.
      for (const [method, route] of routes()) {
        for (const who of [
          as(AAMIR),
          as(SARA),
          mockCredentials.service.header(),
        ]) {
          const test = (api() as any)
            [method](`/api/aws-access${route}`)
            .set('Authorization', who);
          record(
            `${method.toUpperCase()} ${route}`,
            await (method === 'post'
              ? test.send(route.endsWith('/apply') ? { planId: 'x' } : {})
              : test),
          );
        }
      }
      // An apply through the write role (an assignment is created).
      const plan = await api()
        .post('/api/aws-access/onboarding/accounts/200000000007/plan')
        .set('Authorization', as(SARA))
        .send({});
      expect(plan.body.create.length).toBeGreaterThan(0);
      const applied = await api()
        .post('/api/aws-access/onboarding/accounts/200000000007/apply')
        .set('Authorization', as(SARA))
        .send({ planId: plan.body.planId });
      record('POST apply', applied);
      expect(applied.status).toBe(200);
      expect(
        applied.body.results.every((r: any) => r.outcome === 'succeeded'),
      ).toBe(true);
      const csv = await api()
        .get('/api/aws-access/report?format=csv')
        .set('Authorization', as(SARA));
      record('GET /report?format=csv', csv);

      // The canaries were in use: both roles were assumed, Graph signed in with the client secret.
      const counters = await emulators.control.getCounters();
      expect(counters.sts.AssumeRole).toBeGreaterThanOrEqual(2);
      expect(
        Object.values(counters.login ?? {}).reduce(
          (a, b) => a + (b as number),
          0,
        ),
      ).toBeGreaterThanOrEqual(1);
      expect(logger.records.some(r => /audit/i.test(logText(r)))).toBe(true);
    } finally {
      await backend.stop();
    }
    for (const line of logger.records)
      exposed.push({ where: `log ${line.level}`, text: logText(line) });
    expect(exposed.length).toBeGreaterThan(100);
    expect(scan()).toEqual([]);
  });

  it('an unknown tenant at sign-in: the error names the tenant, not the secret', async () => {
    const data = canaryConfig(emulators, {});
    (data.awsAccess as any).entra.tenantId =
      '11111111-2222-4333-8444-555555555555';
    const { backend, logger } = await startCanaryBackend(emulators, data);
    try {
      const status = await request(backend.server)
        .get('/api/aws-access/sync/status')
        .set('Authorization', as(SARA));
      expect(status.body.lastRun).toMatchObject({
        outcome: 'failed',
        error: { source: 'graph' },
      });
      exposed.push({
        where: 'GET /sync/status (unknown tenant)',
        text: status.text,
      });
      const me = await request(backend.server)
        .get('/api/aws-access/me')
        .set('Authorization', as(AAMIR));
      exposed.push({ where: 'GET /me (unknown tenant)', text: me.text });
    } finally {
      await backend.stop();
    }
    for (const line of logger.records)
      exposed.push({ where: `log ${line.level}`, text: logText(line) });
    expect(scan()).toEqual([]);
  });

  it('bad config next to the secrets: the startup error does not repeat them', async () => {
    const bad = [
      { entra: { certificatePath: '/etc/graph.pem' } },
      { entra: { clientId: 'not-a-guid' } },
      {
        identityCenter: {
          roleArn: 'not-an-arn',
          externalId: CANARIES.readExternalId,
        },
      },
      { write: { roleArn: 'writer', externalId: CANARIES.writeExternalId } },
    ];
    for (const override of bad) {
      const data = canaryConfig(emulators);
      const awsAccess = data.awsAccess as Record<string, any>;
      for (const [key, value] of Object.entries(override))
        awsAccess[key] = { ...awsAccess[key], ...value };
      const message = await startCanaryBackend(emulators, data).then(
        async ({ backend }) => {
          await backend.stop();
          return 'started';
        },
        (error: Error) => error.message,
      );
      expect(message).toMatch(/Invalid configuration/);
      exposed.push({
        where: `startup error ${JSON.stringify(override)}`,
        text: message,
      });
    }
    expect(scan()).toEqual([]);
  });
});
