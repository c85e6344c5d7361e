import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { CatalogDirectory } from './CatalogDirectory';

const group = (name: string, extra: object = {}) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name },
  spec: { type: 'team', children: [], ...extra },
});

describe('CatalogDirectory.groupsOf', () => {
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
    const directory = new CatalogDirectory({
      catalog,
      auth: mockServices.auth(),
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

describe('CatalogDirectory.catalogGroupsOf', () => {
  it("names each user's catalog groups (title, else display name, else name) in two reads, whatever the number of users", async () => {
    const user = (name: string, groups: string[]) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: { name },
      spec: {},
      relations: groups.map(g => ({
        type: 'memberOf',
        targetRef: `group:default/${g}`,
      })),
    });
    const catalog = catalogServiceMock({
      entities: [
        user('aamir', ['backend-team', 'aws-developers-readonly']),
        user('priya', ['backend-team']),
        {
          ...group('backend-team', { profile: { displayName: 'Backend' } }),
        },
        {
          ...group('aws-developers-readonly'),
          metadata: {
            name: 'aws-developers-readonly',
            title: 'AWS-Developers-ReadOnly',
          },
        },
      ],
    });
    const reads = jest.spyOn(catalog, 'getEntitiesByRefs');
    const directory = new CatalogDirectory({
      catalog,
      auth: mockServices.auth(),
    });

    const groups = await directory.catalogGroupsOf([
      'user:default/aamir',
      'user:default/priya',
      'user:default/ghost',
    ]);

    expect(Object.fromEntries(groups)).toEqual({
      'user:default/aamir': [
        { entityRef: 'group:default/backend-team', name: 'Backend' },
        {
          entityRef: 'group:default/aws-developers-readonly',
          name: 'AWS-Developers-ReadOnly',
        },
      ],
      'user:default/priya': [
        { entityRef: 'group:default/backend-team', name: 'Backend' },
      ],
      'user:default/ghost': [],
    });
    expect(reads).toHaveBeenCalledTimes(2);
  });
});
