import type { TestDatabaseId } from '@backstage/backend-test-utils';
import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { ANNOTATION_MICROSOFT_EMAIL } from '@aws-access/plugin-aws-access-common';
import request from 'supertest';
import { startEmulatorWorld } from '../__testUtils__/emulatorWorld';
import { openApiProblems } from '../__testUtils__/openapi';
import {
  catalogEntitiesOf,
  startAccessBackend,
} from '../__testUtils__/testBackend';

jest.setTimeout(60_000);

/*
 * A catalog user is matched to an Entra person strictly: the Graph object id annotation, then the email as a user
 * principal name, and the Entra `mail` only when awsAccess.userMatching.byEmail is on, never when people share it.
 * Someone asked about who is not in the catalog at all (a leaver) is the one person the product names with the ref.
 */

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const SARA = 'user:default/sara_example.com';

/** A catalog user from a provider that is not msgraph: no Graph object id, an email in its profile. */
const yamlUser = (name: string, email?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: {
    name,
    annotations: email ? { [ANNOTATION_MICROSOFT_EMAIL]: email } : {},
  },
  spec: { profile: email ? { email } : {}, memberOf: [] },
});

const KIM_BY_UPN = 'user:default/kim-upn';
const KIM_BY_MAIL = 'user:default/kim-mail';
const SAM = 'user:default/sam';
const AAMIR_BY_NAME = 'user:default/aamir_example.com';
/** The seed's leaver: disabled in Entra, so not in the catalog, still active in AWS. */
const ALEX = 'user:default/alex_example.com';

async function startWorld(databaseId: TestDatabaseId, byEmail: boolean) {
  const world = await startEmulatorWorld();
  const { control } = world.emulators;
  // Kim signs in as kim.lee@corp.example.com and is mailed at kim@example.com; the Sams share a mailbox.
  await control.createEntraUser({
    upn: 'kim.lee@corp.example.com',
    mail: 'kim@example.com',
    displayName: 'Kim Lee',
  });
  for (const upn of ['sam.one@example.com', 'sam.two@example.com'])
    await control.createEntraUser({
      upn,
      mail: 'sam@example.com',
      displayName: `Sam ${upn.split(/[.@]/)[1]}`,
    });
  const backend = await startAccessBackend(world.emulators, {
    configOverrides: { userMatching: { byEmail } },
    catalogEntities: [
      // Sara from msgraph, with her Graph object id, and people from a file without one.
      ...catalogEntitiesOf(world.emulators).filter(
        e => e.metadata.name === 'sara_example.com',
      ),
      yamlUser('kim-upn', 'kim.lee@corp.example.com'),
      yamlUser('kim-mail', 'kim@example.com'),
      yamlUser('sam', 'sam@example.com'),
      // Named as msgraph names Aamir, but with nothing that identifies him.
      yamlUser('aamir_example.com'),
    ],
    extraFeatures: [
      mockServices.database.factory({
        knex: await databases.init(databaseId),
      }),
    ],
  });
  const get = async (url: string, who: string) => {
    const res = await request(backend.server)
      .get(`/api/aws-access${url}`)
      .set('Authorization', mockCredentials.user.header(who));
    expect(
      openApiProblems(
        'GET',
        url,
        res.status,
        res.headers['content-type'],
        res.body,
      ),
    ).toEqual([]);
    return res;
  };
  const post = (url: string, who: string, body: object) =>
    request(backend.server)
      .post(`/api/aws-access${url}`)
      .set('Authorization', mockCredentials.user.header(who))
      .send(body);
  for (let i = 0; i < 200; i++) {
    if ((await get('/sync/status', SARA)).body.snapshotVersion) break;
    await new Promise(r => setTimeout(r, 100));
  }
  return {
    get,
    post,
    stop: async () => {
      await backend.stop();
      await world.emulators.close();
    },
  };
}

describe.each(databases.eachSupportedId())(
  'identity matching on %p',
  (databaseId: TestDatabaseId) => {
    describe('by default (no email matching)', () => {
      let world: Awaited<ReturnType<typeof startWorld>>;
      beforeAll(async () => {
        world = await startWorld(databaseId, false);
      });
      afterAll(() => world?.stop());

      it('matches the Graph object id, and an email that is a user principal name', async () => {
        expect((await world.get('/me', SARA)).body.user.displayName).toBe(
          'Sara Lindqvist',
        );
        const kim = await world.get('/me', KIM_BY_UPN);
        expect(kim.status).toBe(200);
        expect(kim.body.user.userPrincipalName).toBe(
          'kim.lee@corp.example.com',
        );
      });

      it('does not match an email that is only a mail address, and says how to turn it on', async () => {
        const kim = await world.get('/me', KIM_BY_MAIL);
        expect(kim.status).toBe(404);
        expect(kim.body.error.message).toBe(
          'Your Backstage user user:default/kim-mail has no graph.microsoft.com/user-id annotation, and kim@example.com is no Entra user principal name. Ask the platform team to ingest users with the Microsoft Graph catalog module (or add the annotation); matching by email is off (awsAccess.userMatching.byEmail).',
        );
      });

      it('does not guess from an entity name', async () => {
        expect((await world.get('/me', AAMIR_BY_NAME)).status).toBe(404);
      });
    });

    describe('someone asked about by entity ref', () => {
      let world: Awaited<ReturnType<typeof startWorld>>;
      beforeAll(async () => {
        world = await startWorld(databaseId, false);
      });
      afterAll(() => world?.stop());

      it('finds a leaver the catalog no longer has by the entity ref the product gives them', async () => {
        // Entra disabled Alex, so msgraph dropped him; the board lists him by the ref the product derives.
        const drift = (await world.get('/drift', SARA)).body;
        expect(
          drift.revoking.map((e: { user: { entityRef: string } }) => e.user),
        ).toContainEqual(expect.objectContaining({ entityRef: ALEX }));
        const alex = await world.get(
          `/users/${encodeURIComponent(ALEX)}`,
          SARA,
        );
        expect(alex.status).toBe(200);
        expect(alex.body.user).toMatchObject({
          displayName: 'Alex Morgan',
          userPrincipalName: 'alex@example.com',
        });
        expect(alex.body.grants.length).toBeGreaterThan(0);
        const timeline = await world.get(
          `/users/${encodeURIComponent(ALEX)}/timeline`,
          SARA,
        );
        expect(timeline.status).toBe(200);
        const diagnosis = await world.get(
          `/diagnose?user=${encodeURIComponent(ALEX)}&account=${
            alex.body.grants[0].accountId
          }`,
          SARA,
        );
        expect(diagnosis.status).toBe(200);
      });

      it('never matches a catalog user by its name, even the name the product gives someone else', async () => {
        // aamir_example.com is Aamir's name in the product, but the catalog user of that name has no id or email.
        for (const url of [
          `/users/${encodeURIComponent(AAMIR_BY_NAME)}`,
          `/diagnose?user=${encodeURIComponent(
            AAMIR_BY_NAME,
          )}&account=100000000001`,
        ]) {
          const response = await world.get(url, SARA);
          expect(response.status).toBe(404);
          expect(response.body.error.message).toMatch(
            /^Your Backstage user user:default\/aamir_example.com has no graph.microsoft.com\/user-id annotation and no email\./,
          );
        }
      });

      it('matches a signed-in user by their catalog user only', async () => {
        const alex = await world.get('/me', ALEX);
        expect(alex.status).toBe(404);
        expect(alex.body.error.message).toBe(
          'user:default/alex_example.com is not in the catalog.',
        );
      });

      it('refuses a name several people have, naming them', async () => {
        const sams = await world.get(
          `/users/${encodeURIComponent('user:default/sam_example.com')}`,
          SARA,
        );
        expect(sams.status).toBe(404);
        expect(sams.body.error.message).toBe(
          'user:default/sam_example.com is not in the catalog, and 2 people of the last sync have that name (sam.one@example.com, sam.two@example.com), so it identifies none of them.',
        );
        const nobody = await world.get(
          `/users/${encodeURIComponent('user:default/nobody_example.com')}`,
          SARA,
        );
        expect(nobody.status).toBe(404);
        expect(nobody.body.error.message).toBe(
          'user:default/nobody_example.com is not in the catalog, and no person of the last sync has that name.',
        );
      });

      it('deprovisions the leaver by that entity ref', async () => {
        const response = await world.post('/provision', SARA, { user: ALEX });
        expect(response.status).toBe(200);
        expect(response.body).toMatchObject({
          action: 'deprovision',
          outcome: 'success',
          access: { grants: [] },
        });
      });
    });

    describe('with awsAccess.userMatching.byEmail', () => {
      let world: Awaited<ReturnType<typeof startWorld>>;
      beforeAll(async () => {
        world = await startWorld(databaseId, true);
      });
      afterAll(() => world?.stop());

      it('matches an email that exactly one person has', async () => {
        const kim = await world.get('/me', KIM_BY_MAIL);
        expect(kim.status).toBe(200);
        expect(kim.body.user.userPrincipalName).toBe(
          'kim.lee@corp.example.com',
        );
      });

      it('never picks one of two people who share an email, and reports it as a finding', async () => {
        const sam = await world.get('/me', SAM);
        expect(sam.status).toBe(404);
        expect(sam.body.error.message).toBe(
          'Your Backstage user user:default/sam has the email sam@example.com, which 2 people share (Sam one, Sam two), so it identifies none of them. Annotate the Backstage user with its graph.microsoft.com/user-id, or give the people distinct emails.',
        );
        const drift = (await world.get('/drift', SARA)).body;
        expect(
          drift.lint.filter((f: { code: string }) => f.code === 'shared-email'),
        ).toEqual([
          expect.objectContaining({
            severity: 'warning',
            principal: 'Sam one, Sam two',
            message: expect.stringMatching(
              /^Sam one, Sam two share the email sam@example.com: it identifies none of them/,
            ),
          }),
        ]);
      });
    });
  },
);
