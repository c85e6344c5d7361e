import type { TestDatabaseId } from '@backstage/backend-test-utils';
import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import type {
  AccountAccess,
  PermissionSetDetails,
  ReportRow,
} from '@aws-access/plugin-aws-access-common';
import {
  GetUserIdCommand,
  IdentitystoreClient,
} from '@aws-sdk/client-identitystore';
import { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import request from 'supertest';
import type { Emulators } from '@aws-access/emulators';
import {
  createAssignment,
  startEmulatorWorld,
} from '../__testUtils__/emulatorWorld';
import { openApiProblems } from '../__testUtils__/openapi';
import {
  cloudAccountEntities,
  startAccessBackend,
} from '../__testUtils__/testBackend';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const user = (name: string) => `user:default/${name}_example.com`;
const TOM = user('tom'); // AWS-Developers-ReadOnly only: a plain engineer
const AAMIR = user('aamir'); // Backend-Team, which owns the payments-* and web-* accounts
const NOAH = user('noah'); // Data-Team, which owns data-lake
const SARA = user('sara'); // platform team: read-all
const OLU = user('olu');
const PAYMENTS_PROD = '200000000003';
const MANAGEMENT = '100000000001';

/** Olu gets BreakGlassAdmin on payments-prod and management by a direct user assignment, out of band. */
async function assignOluDirectly(emulators: Emulators) {
  const { region, instanceArn, identityStoreId, permissionSets } =
    emulators.scenario.identityCenter;
  const clientOptions = {
    region,
    endpoint: emulators.awsEndpoint,
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
  };
  const { UserId } = await new IdentitystoreClient(clientOptions).send(
    new GetUserIdCommand({
      IdentityStoreId: identityStoreId,
      AlternateIdentifier: {
        UniqueAttribute: {
          AttributePath: 'userName',
          AttributeValue: 'olu@example.com',
        },
      },
    }),
  );
  const ssoAdmin = new SSOAdminClient(clientOptions);
  // AWS creates assignments asynchronously: the first sync must not start before both exist.
  for (const account of [PAYMENTS_PROD, MANAGEMENT]) {
    expect(
      await createAssignment(ssoAdmin, {
        InstanceArn: instanceArn,
        TargetId: account,
        TargetType: 'AWS_ACCOUNT',
        PermissionSetArn: permissionSets.find(
          p => p.name === 'BreakGlassAdmin',
        )!.arn,
        PrincipalType: 'USER',
        PrincipalId: UserId!,
      }),
    ).toBe('SUCCEEDED');
  }
  ssoAdmin.destroy();
}

describe.each(databases.eachSupportedId())(
  'who holds what, on %p',
  (databaseId: TestDatabaseId) => {
    let world: Awaited<ReturnType<typeof startEmulatorWorld>>;
    let backend: Awaited<ReturnType<typeof startAccessBackend>>;
    const problems: string[] = [];

    const get = async (url: string, who: string) => {
      const res = await request(backend.server)
        .get(`/api/aws-access${url}`)
        .set('Authorization', mockCredentials.user.header(who));
      problems.push(
        ...openApiProblems(
          'GET',
          url,
          res.status,
          res.headers['content-type'],
          res.body,
        ),
      );
      expect(res.status).toBe(200);
      return res.body;
    };
    const account = (id: string, who: string): Promise<AccountAccess> =>
      get(`/accounts/${id}`, who);
    const permissionSet = (
      name: string,
      who: string,
    ): Promise<PermissionSetDetails> => get(`/permission-sets/${name}`, who);
    const principals = (rows: Array<{ principal: { name: string } }>) =>
      [...new Set(rows.map(r => r.principal.name))].sort();
    const people = (access: AccountAccess) =>
      access.people.map(p => p.user.entityRef).sort();

    beforeAll(async () => {
      world = await startEmulatorWorld();
      await assignOluDirectly(world.emulators);
      backend = await startAccessBackend(world.emulators, {
        extraEntities: cloudAccountEntities(world.emulators),
        extraFeatures: [
          mockServices.database.factory({
            knex: await databases.init(databaseId),
          }),
        ],
      });
      for (let i = 0; i < 200; i++) {
        const status = await request(backend.server)
          .get('/api/aws-access/sync/status')
          .set('Authorization', mockCredentials.user.header(SARA));
        if (status.body.snapshotVersion) break;
        await new Promise(r => setTimeout(r, 100));
      }
    });

    afterAll(async () => {
      await backend?.stop();
      await world?.emulators.close();
    });

    it('lists every principal on an account to read-all and to the account owners, and only counts to others', async () => {
      const asSara = await account(PAYMENTS_PROD, SARA);
      expect(principals(asSara.assignments)).toEqual([
        'AWS-Developers-Admin',
        'AWS-Developers-PowerUser',
        'AWS-Developers-ReadOnly',
        'AWS-Payments-Prod-Admin',
        'Olu Adeyemi',
      ]);
      expect(asSara.principalsHidden).toBeUndefined();
      expect(people(asSara)).toContain(OLU);

      // Aamir is in Backend-Team, the account's catalog owner: the same list.
      const asAamir = await account(PAYMENTS_PROD, AAMIR);
      expect(asAamir.assignments).toEqual(asSara.assignments);
      expect(people(asAamir)).toEqual(people(asSara));
      expect(asAamir.principalsHidden).toBeUndefined();

      // Tom sees the assignment that is his and how much is left out; nobody's direct admin.
      const asTom = await account(PAYMENTS_PROD, TOM);
      expect(principals(asTom.assignments)).toEqual([
        'AWS-Developers-ReadOnly',
      ]);
      expect(people(asTom)).not.toContain(OLU);
      expect(people(asTom)).toContain(TOM);
      expect(asTom.principalsHidden).toEqual({
        assignments: asSara.assignments.length - asTom.assignments.length,
        principals: 4,
        people: asSara.people.length - asTom.people.length,
      });
      expect(JSON.stringify(asTom)).not.toMatch(/Olu|BreakGlass/);
    });

    it('reads ownership through group membership: a team owns only its own accounts', async () => {
      // Noah is in Data-Team, which owns data-lake, not payments-prod.
      const dataLake = await account('200000000006', NOAH);
      expect(dataLake.principalsHidden).toBeUndefined();
      const paymentsProd = await account(PAYMENTS_PROD, NOAH);
      expect(principals(paymentsProd.assignments)).toEqual([
        'AWS-Developers-ReadOnly',
      ]);
      expect(paymentsProd.principalsHidden?.assignments).toBeGreaterThan(0);
      // And Aamir does not own data-lake.
      expect((await account('200000000006', AAMIR)).principalsHidden).toEqual(
        expect.objectContaining({ assignments: 2, principals: 2 }),
      );
    });

    it('shows a permission set’s rows on owned accounts and the caller’s own, with counts of the rest', async () => {
      const asSara = await permissionSet('BreakGlassAdmin', SARA);
      expect(
        asSara.assignments.map(a => `${a.accountId} ${a.principal.name}`),
      ).toEqual(
        expect.arrayContaining([
          `${MANAGEMENT} Olu Adeyemi`,
          `${PAYMENTS_PROD} Olu Adeyemi`,
          `${MANAGEMENT} breakglass-admins`,
        ]),
      );
      expect(asSara.principalsHidden).toBeUndefined();

      const asAamir = await permissionSet('BreakGlassAdmin', AAMIR);
      expect(
        asAamir.assignments.map(a => `${a.accountId} ${a.principal.name}`),
      ).toEqual([`${PAYMENTS_PROD} Olu Adeyemi`]);
      expect(asAamir.principalsHidden).toEqual({
        assignments: asSara.assignments.length - 1,
        principals: 2,
      });

      const asTom = await permissionSet('BreakGlassAdmin', TOM);
      expect(asTom.assignments).toEqual([]);
      expect(asTom.principalsHidden).toEqual({
        assignments: asSara.assignments.length,
        principals: 2,
      });
      // His own assignment he sees wherever it is.
      const readOnly = await permissionSet('DeveloperReadOnly', TOM);
      expect(principals(readOnly.assignments)).toEqual([
        'AWS-Developers-ReadOnly',
      ]);
      expect(readOnly.assignments).toHaveLength(5);
    });

    it('puts rows into reports by the same rule: owners get every row on their accounts, and no other', async () => {
      const rowsOf = async (who: string): Promise<ReportRow[]> =>
        (await get('/report?format=json', who)).rows;
      const olu = (rows: ReportRow[]) =>
        rows
          .filter(r => r.userEntityRef === OLU)
          .map(r => `${r.accountId} ${r.permissionSet}`)
          .sort();

      const asAamir = olu(await rowsOf(AAMIR));
      expect(asAamir).toContain(`${PAYMENTS_PROD} BreakGlassAdmin`);
      // Backend-Team owns payments-* and web-* (…001 to …005); Olu's rows elsewhere stay out.
      expect(new Set(asAamir.map(row => row.split(' ')[0]))).toEqual(
        new Set([
          '200000000001',
          '200000000002',
          PAYMENTS_PROD,
          '200000000004',
          '200000000005',
        ]),
      );
      expect(olu(await rowsOf(TOM))).toEqual([]);
      expect(olu(await rowsOf(SARA))).toEqual(
        expect.arrayContaining([
          `${MANAGEMENT} BreakGlassAdmin`,
          `${PAYMENTS_PROD} BreakGlassAdmin`,
        ]),
      );
    });

    it('documents every response in openapi.yaml', () => {
      expect(problems).toEqual([]);
    });
  },
);
