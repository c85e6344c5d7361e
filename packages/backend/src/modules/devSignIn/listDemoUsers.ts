import type { AuthService } from '@backstage/backend-plugin-api';
import type { UserEntity } from '@backstage/catalog-model';
import {
  RELATION_MEMBER_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';

/** A person the demo sign-in page offers. */
export type DemoUser = {
  entityRef: string;
  displayName: string;
  email?: string;
  title?: string;
  groups: string[];
};

/** Every User in the catalog with the fields the sign-in page shows, sorted by name. */
export async function listDemoUsers(options: {
  auth: AuthService;
  catalog: CatalogService;
}): Promise<DemoUser[]> {
  const { items } = await options.catalog.getEntities(
    {
      filter: { kind: 'User' },
      fields: [
        'kind',
        'metadata.name',
        'metadata.namespace',
        'metadata.title',
        'spec.profile',
        'relations',
      ],
    },
    { credentials: await options.auth.getOwnServiceCredentials() },
  );
  return (items as UserEntity[])
    .map(user => ({
      entityRef: stringifyEntityRef(user),
      displayName: user.spec?.profile?.displayName ?? user.metadata.name,
      email: user.spec?.profile?.email,
      title: user.metadata.title,
      groups: (user.relations ?? [])
        .filter(relation => relation.type === RELATION_MEMBER_OF)
        .map(relation => relation.targetRef),
    }))
    .sort((a, b) => a.displayName.localeCompare(b.displayName, 'en'));
}
