import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import type { Scenario } from '@aws-access/emulators';
import { loadScenario } from '@aws-access/emulators';
import {
  IDENTITY_CENTER_ONLY_SCENARIO,
  SEED_SCENARIO,
} from '@aws-access/test-utils';
import { startEmulatorWorld } from '../__testUtils__/emulatorWorld';
import { createTestSyncService } from '../__testUtils__/syncService';
import { awsCliConfigOf, userAccess } from '../api/views/userAccess';
import { AccessIndex } from '../snapshot/AccessIndex';
import { SnapshotStore } from '../store/SnapshotStore';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const ALIAS = 'https://mycompany.awsapps.com/start';

/** The seed organisation whose access portal has a custom alias: Entra's AWS app signs on there. */
function aliasedScenario(): Scenario {
  const scenario = loadScenario(SEED_SCENARIO);
  scenario.identityCenter.accessPortalUrl = ALIAS;
  return scenario;
}

/*
 * Identity Center has no API that returns a custom portal alias; the Entra AWS app's sign-on URL (`loginUrl`) is
 * that portal. Launch links use it unless `identityCenter.accessPortalUrl` is configured, and the d-… default only
 * when neither exists.
 */
describe.each(databases.eachSupportedId())(
  'the access portal of launch links on %p',
  databaseId => {
    async function syncOnce(
      scenario: Scenario | string,
      identityCenter: Record<string, unknown> = {},
    ) {
      const world = await startEmulatorWorld({
        scenario,
        overrides: { identityCenter },
      });
      try {
        const store = await SnapshotStore.create({
          database: mockServices.database({
            knex: await databases.init(databaseId),
            migrations: { skip: false },
          }),
        });
        const sync = createTestSyncService(world, { store });
        expect(await sync.run()).toMatchObject({ outcome: 'succeeded' });
        const latest = (await store.latest())!;
        return AccessIndex.build({
          snapshot: latest.snapshot,
          version: latest.version,
        });
      } finally {
        await world.emulators.close();
      }
    }

    it("takes the Entra AWS app's sign-on URL when none is configured", async () => {
      const index = await syncOnce(aliasedScenario());
      expect(index.snapshot.aws).toMatchObject({
        accessPortalUrl: ALIAS,
        accessPortalUrlFrom: 'entra',
      });
      const person = index.personByEntityRef('user:default/maria_example.com')!;
      const access = userAccess(index, person, new Date(), 3_600_000);
      const links = access.grants.map(g => g.launchUrl).filter(Boolean);
      expect(links.length).toBeGreaterThan(0);
      for (const link of links) expect(link).toMatch(`${ALIAS}/#/console?`);
      expect(awsCliConfigOf(index, person, new Date())).toContain(
        `sso_start_url = ${ALIAS}`,
      );
    });

    it('keeps a configured portal over the sign-on URL', async () => {
      const configured = 'https://platform.awsapps.com/start';
      const index = await syncOnce(aliasedScenario(), {
        accessPortalUrl: configured,
      });
      expect(index.snapshot.aws).toMatchObject({
        accessPortalUrl: configured,
        accessPortalUrlFrom: 'config',
      });
    });

    it('falls back to the identity store default without Entra', async () => {
      const index = await syncOnce(IDENTITY_CENTER_ONLY_SCENARIO);
      expect(index.snapshot.aws).toMatchObject({
        accessPortalUrl: `https://${index.snapshot.aws.identityStoreId}.awsapps.com/start`,
        accessPortalUrlFrom: 'default',
      });
    });
  },
);
