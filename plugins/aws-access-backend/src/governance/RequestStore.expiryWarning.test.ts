import type { TestDatabaseId } from '@backstage/backend-test-utils';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { RequestStore } from './RequestStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())(
  'RequestStore.markExpiryWarned on %p',
  (databaseId: TestDatabaseId) => {
    it('records the warning once: only the first of concurrent callers wins, and it stays recorded', async () => {
      const knex = await databases.init(databaseId);
      const store = await RequestStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
      const request = await store.insert({
        requester: 'user:default/aamir',
        requesterUserId: 'u-aamir',
        group: { entityRef: 'group:default/g', name: 'G', id: 'g' },
        mode: 'membership',
        approvalsRequired: 1,
        approverGroups: [],
      });
      const results = await Promise.all(
        [1, 2, 3].map(() => store.markExpiryWarned(request.id)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      // A second store (another replica, or after a restart) finds it recorded.
      const other = await RequestStore.create({
        database: mockServices.database({ knex, migrations: { skip: true } }),
      });
      expect(await other.markExpiryWarned(request.id)).toBe(false);
    });
  },
);
