import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ApproverDirectory } from './ApproverDirectory';

const group = (name: string, extra: object = {}) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name },
  spec: { type: 'team', children: [], ...extra },
});

describe('ApproverDirectory.groupsOf', () => {
  it('follows membership up through parent groups, from sign-in claims and catalog relations', async () => {
    const catalog = catalogServiceMock({
      entities: [
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'User',
          metadata: { name: 'noah' },
          spec: {},
          relations: [
            { type: 'memberOf', targetRef: 'group:default/data-team' },
          ],
        },
        group('data-team', { parent: 'analytics' }),
        {
          ...group('analytics'),
          relations: [
            { type: 'childOf', targetRef: 'group:default/engineering' },
          ],
        },
        group('engineering'),
        group('backend-team', { parent: 'engineering' }),
        group('unrelated'),
      ],
    });
    const directory = new ApproverDirectory({
      catalog,
      auth: mockServices.auth(),
      sources: {} as any,
      logger: mockServices.logger.mock(),
    });

    const groups = await directory.groupsOf('user:default/noah', [
      'user:default/noah',
      'group:default/backend-team',
    ]);

    expect([...groups].sort()).toEqual([
      'group:default/analytics',
      'group:default/backend-team',
      'group:default/data-team',
      'group:default/engineering',
    ]);
  });
});
