import { mockServices } from '@backstage/backend-test-utils';
import type { GroupEntity, UserEntity } from '@backstage/catalog-model';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  defaultGroupTransformer,
  defaultUserTransformer,
} from '@backstage/plugin-catalog-backend-module-msgraph';
import type {
  CatalogProjection,
  ProjectedEntraGroup,
  ProjectedEntraUser,
} from '@aws-access/plugin-aws-access-common';
import {
  ANNOTATION_MICROSOFT_EMAIL,
  ANNOTATION_MICROSOFT_GRAPH_GROUP_ID,
  ANNOTATION_MICROSOFT_GRAPH_USER_ID,
} from '@aws-access/plugin-aws-access-common';
import {
  byRef,
  emitOptions,
  projectionWith,
} from '../../__fixtures__/projections';
import {
  SEED_GROUP_IDS,
  SEED_USER_IDS,
  seedProjection,
} from '../../__fixtures__/seedProjection';
import {
  readWithMsGraph,
  seedTenant,
} from '../../__testUtils__/fakeMicrosoftGraph';
import { buildProjectionIndex } from './buildProjectionIndex';
import { ANNOTATION_AWS_ACCESS_PROJECTION_HASH } from './emitPrincipals';

describe('buildProjectionIndex', () => {
  describe('emit mode: Groups and Users', () => {
    it('should emit the projected groups and enabled users with msgraph refs', async () => {
      const index = await buildProjectionIndex(seedProjection(), emitOptions);
      const refs = index.entities
        .filter(e => e.kind === 'Group' || e.kind === 'User')
        .map(e => stringifyEntityRef(e))
        .sort();
      expect(refs).toEqual([
        'group:default/aws-data-analysts',
        'group:default/aws-developers-admin',
        'group:default/aws-developers-poweruser',
        'group:default/aws-developers-readonly',
        'group:default/aws-payments-prod-admin',
        'group:default/data-team',
        'user:default/aamir_example.com',
        'user:default/maria_example.com',
        'user:default/noah_example.com',
        'user:default/olu_example.com',
        'user:default/priya_example.com',
        'user:default/sara_example.com',
        'user:default/shen.li_example.com',
        'user:default/tom_example.com',
      ]);
      const entities = byRef(index.entities);
      const readOnly = entities.get(
        'group:default/aws-developers-readonly',
      ) as GroupEntity;
      expect(readOnly.metadata.annotations).toEqual({
        'graph.microsoft.com/group-id':
          SEED_GROUP_IDS['AWS-Developers-ReadOnly'],
        'backstage.io/managed-by-location':
          'aws-access:default/group/aws-developers-readonly',
        'backstage.io/managed-by-origin-location':
          'aws-access:default/group/aws-developers-readonly',
        [ANNOTATION_AWS_ACCESS_PROJECTION_HASH]:
          expect.stringMatching(/^[0-9a-f]{16}$/),
      });
      expect(readOnly.spec).toEqual({
        type: 'team',
        profile: { displayName: 'AWS-Developers-ReadOnly' },
        children: [],
      });
      expect(
        (entities.get('group:default/aws-data-analysts') as GroupEntity).spec
          .children,
      ).toEqual(['group:default/data-team']);
      expect(
        (entities.get('group:default/data-team') as GroupEntity).spec.parent,
      ).toBe('group:default/aws-data-analysts');
      const noah = entities.get('user:default/noah_example.com') as UserEntity;
      expect(noah.spec).toEqual({
        profile: { displayName: 'Noah Kim', email: 'noah@example.com' },
        memberOf: [
          'group:default/data-team',
          'group:default/aws-developers-readonly',
        ],
      });
      expect(noah.metadata.annotations).toMatchObject({
        'graph.microsoft.com/user-id': SEED_USER_IDS['noah@example.com'],
        'microsoft.com/email': 'noah@example.com',
      });
    });

    it('should change the projection hash of a group exactly when its access changes', async () => {
      const hashOf = async (projection: CatalogProjection, ref: string) =>
        byRef(
          (await buildProjectionIndex(projection, emitOptions)).entities,
        ).get(ref)!.metadata.annotations![
          ANNOTATION_AWS_ACCESS_PROJECTION_HASH
        ];
      const before = seedProjection();
      const after = seedProjection({ snapshotVersion: 2 });
      after.assignments = after.assignments.filter(
        a =>
          !(
            a.principal.displayName === 'AWS-Developers-ReadOnly' &&
            a.accountId === '200000000005'
          ),
      );
      expect(
        await hashOf(before, 'group:default/aws-developers-readonly'),
      ).not.toBe(await hashOf(after, 'group:default/aws-developers-readonly'));
      expect(await hashOf(before, 'group:default/aws-developers-admin')).toBe(
        await hashOf(after, 'group:default/aws-developers-admin'),
      );
    });

    it('should skip (not rename) groups and users whose names collide or are invalid', async () => {
      const group = (id: string, displayName: string): ProjectedEntraGroup => ({
        id,
        displayName,
        securityEnabled: true,
        assignedToApp: true,
        memberUserIds: [],
        memberGroupIds: [],
      });
      const user = (id: string, mail: string): ProjectedEntraUser => ({
        id,
        displayName: `User ${id}`,
        userPrincipalName: mail,
        mail,
        accountEnabled: true,
      });
      const index = await buildProjectionIndex(
        projectionWith({
          entraGroups: [
            group('g2', 'Team A'),
            group('g1', 'team_a'),
            group('g3', '日本語'),
            group('g4', 'y'.repeat(256)),
          ],
          entraUsers: [
            user('u1', 'a@example.com'),
            user('u2', 'A@example.com'),
            user('u3', `${'z'.repeat(80)}@example.com`),
            { ...user('u4', 'off@example.com'), accountEnabled: false },
          ],
        }),
        emitOptions,
      );
      const principals = index.entities
        .filter(e => e.kind !== 'Resource')
        .map(e => [
          e.kind,
          e.metadata.name,
          e.metadata.annotations![
            e.kind === 'Group'
              ? ANNOTATION_MICROSOFT_GRAPH_GROUP_ID
              : ANNOTATION_MICROSOFT_GRAPH_USER_ID
          ],
        ]);
      expect(principals).toEqual([
        ['Group', 'team_a', 'g1'],
        ['User', 'a_example.com', 'u1'],
      ]);
      expect(index.issues.map(i => i.subject).sort()).toEqual([
        'group g2',
        'group g3',
        'group g4',
        'user u2',
        'user u3',
      ]);
    });
  });
});

describe('naming parity with the msgraph module', () => {
  it('should name and annotate groups exactly as defaultGroupTransformer does', async () => {
    const groups: ProjectedEntraGroup[] = [
      ...seedProjection().entraGroups,
      {
        id: 'm365',
        displayName: 'Payments Squad (M365)',
        mailNickname: 'payments.squad',
        mail: 'payments.squad@example.com',
        description: 'A Microsoft 365 group',
        securityEnabled: false,
        assignedToApp: true,
        memberUserIds: [],
        memberGroupIds: [],
      },
      {
        id: 'no-nick',
        displayName: 'No Nickname Group',
        securityEnabled: false,
        assignedToApp: true,
        memberUserIds: [],
        memberGroupIds: [],
      },
    ];
    const index = await buildProjectionIndex(
      projectionWith({ entraGroups: groups }),
      emitOptions,
    );
    for (const group of groups) {
      const theirs = (await defaultGroupTransformer({
        id: group.id,
        displayName: group.displayName,
        description: group.description,
        mail: group.mail,
        mailNickname: group.mailNickname,
        securityEnabled: group.securityEnabled,
      }))!;
      const ours = index.entities.find(
        e =>
          e.metadata.annotations?.[ANNOTATION_MICROSOFT_GRAPH_GROUP_ID] ===
          group.id,
      ) as GroupEntity;
      expect(stringifyEntityRef(ours)).toBe(stringifyEntityRef(theirs));
      expect(index.groupRefs.get(group.id)).toBe(stringifyEntityRef(theirs));
      expect(ours.metadata.annotations).toMatchObject(
        theirs.metadata.annotations!,
      );
      expect(ours.metadata.description).toBe(theirs.metadata.description);
      expect(ours.spec.type).toBe(theirs.spec.type);
      expect(ours.spec.profile).toEqual(theirs.spec.profile);
    }
  });

  it('should name and annotate users exactly as defaultUserTransformer does', async () => {
    const users: ProjectedEntraUser[] = [
      ...seedProjection().entraUsers.filter(u => u.accountEnabled),
      {
        id: 'guest',
        displayName: 'Guest User',
        userPrincipalName: 'guest_partner.com#EXT#@example.onmicrosoft.com',
        accountEnabled: true,
      },
      {
        id: 'mixed',
        displayName: 'Ümit Öz',
        userPrincipalName: 'umit@example.com',
        mail: 'Umit.Oz+AWS@Example.com',
        accountEnabled: true,
      },
    ];
    const index = await buildProjectionIndex(
      projectionWith({ entraUsers: users }),
      emitOptions,
    );
    for (const user of users) {
      const theirs = (await defaultUserTransformer({
        id: user.id,
        displayName: user.displayName,
        userPrincipalName: user.userPrincipalName,
        mail: user.mail,
      }))!;
      const ours = index.entities.find(
        e =>
          e.metadata.annotations?.[ANNOTATION_MICROSOFT_GRAPH_USER_ID] ===
          user.id,
      ) as UserEntity;
      expect(stringifyEntityRef(ours)).toBe(stringifyEntityRef(theirs));
      expect(index.userRefs.get(user.id)).toBe(stringifyEntityRef(theirs));
      expect(ours.metadata.annotations).toMatchObject(
        theirs.metadata.annotations!,
      );
      expect(ours.metadata.annotations![ANNOTATION_MICROSOFT_EMAIL]).toBe(
        theirs.metadata.annotations![ANNOTATION_MICROSOFT_EMAIL],
      );
      expect(ours.spec.profile).toEqual(theirs.spec.profile);
    }
  });

  it('should build the same hierarchy and memberships as the msgraph reader on the seed tenant', async () => {
    const msgraph = await readWithMsGraph(
      seedTenant(),
      mockServices.logger.mock(),
    );
    const index = await buildProjectionIndex(seedProjection(), emitOptions);
    const ours = byRef(index.entities);
    const projectedGroupRefs = new Set(index.groupRefs.values());

    // msgraph drops disabled users; so do we
    expect(msgraph.users.map(u => u.metadata.name)).not.toContain(
      'alex_example.com',
    );
    for (const theirs of msgraph.users) {
      const mine = ours.get(stringifyEntityRef(theirs)) as UserEntity;
      expect(mine).toBeDefined();
      expect(mine.metadata.annotations).toMatchObject(
        theirs.metadata.annotations!,
      );
      expect(mine.spec.profile).toEqual(theirs.spec.profile);
      // we only know the groups that matter for AWS; within those, memberships agree (same order)
      expect(mine.spec.memberOf).toEqual(
        (theirs.spec.memberOf ?? []).filter(ref => projectedGroupRefs.has(ref)),
      );
    }
    for (const theirs of msgraph.groups.filter(g =>
      projectedGroupRefs.has(stringifyEntityRef(g)),
    )) {
      const mine = ours.get(stringifyEntityRef(theirs)) as GroupEntity;
      expect(mine.metadata.annotations).toMatchObject(
        theirs.metadata.annotations!,
      );
      expect(mine.spec.type).toBe(theirs.spec.type);
      expect(mine.spec.profile).toEqual(theirs.spec.profile);
      expect(mine.spec.children).toEqual(theirs.spec.children);
      // msgraph parents top-level groups to its organization root group, which we do not emit
      const expectedParent = theirs.spec.parent?.startsWith(
        'group:default/example_corp',
      )
        ? undefined
        : theirs.spec.parent;
      expect(mine.spec.parent).toBe(expectedParent);
    }
  });
});
