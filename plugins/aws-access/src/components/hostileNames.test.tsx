import type { GroupEntity } from '@backstage/catalog-model';
import type { Grant } from '@aws-access/plugin-aws-access-common';
import { screen } from '@testing-library/react';
import { AwsAccessPage } from './AwsAccessPage';
import { EntityAwsTeamAccessCard } from './EntityAwsTeamAccessCard';
import { fakeAwsAccessApi, renderWithApi } from '../__testUtils__/render';
import {
  groupAccess,
  pendingGrant,
  shen,
  timeline,
  twoPathGrant,
  userAccess,
} from '../__testUtils__/fixtures';

/*
 * Issue 11: the names of the hostile scenario (examples/scenarios/hostile-org.yaml) render as text in the grants
 * table and the team matrix: no element, attribute or script comes out of them.
 */

const HOSTILE = {
  script: '<script>alert("xss")</script>',
  img: '<img src=x onerror=alert(1)> Long-Group',
  formula: '=HYPERLINK("http://evil.example","click")',
  cmd: "=cmd|' /C calc'!A0",
  plus: '+SUM(1,2)',
  minus: '-2+3',
  at: '@SUM(A1)',
  unicode: 'Zoë Ünïcødé 李雷 🚀 \u202eevil\u202c',
  long: `Ünïcødé-Ωmega-${'x'.repeat(242)}`,
};

/** Nothing the names could have created: no scripts, images, links or event handlers in the rendered page. */
function expectNoInjectedMarkup() {
  expect(document.querySelectorAll('script')).toHaveLength(0);
  expect(document.querySelector('img[src="x"]')).toBeNull();
  expect(document.querySelector('[onerror]')).toBeNull();
  expect(document.querySelector('a[href^="http://evil"]')).toBeNull();
}

const hostileGrant: Grant = {
  ...pendingGrant,
  accountName: HOSTILE.script,
  permissionSet: { ...pendingGrant.permissionSet, name: HOSTILE.at },
  via: [
    { type: 'group', name: HOSTILE.img, state: 'pending' },
    { type: 'group', name: HOSTILE.cmd, state: 'pending' },
  ],
};

describe('hostile names from upstream', () => {
  it('are text in the grants table', async () => {
    const api = fakeAwsAccessApi({
      getMyAccess: async () =>
        userAccess({
          user: { ...userAccess().user, displayName: HOSTILE.unicode },
          grants: [
            hostileGrant,
            { ...twoPathGrant, accountName: HOSTILE.formula },
          ],
        }),
      getMyTimeline: async () => timeline,
    });
    renderWithApi(<AwsAccessPage />, { api });
    expect(await screen.findByText(HOSTILE.script)).toBeInTheDocument();
    expect(screen.getByText(HOSTILE.formula)).toBeInTheDocument();
    expect(document.body.textContent).toContain(HOSTILE.img);
    expect(document.body.textContent).toContain(HOSTILE.cmd);
    expect(document.body.textContent).toContain(HOSTILE.at);
    expectNoInjectedMarkup();
  });

  it('are text in the team matrix', async () => {
    const members = [
      HOSTILE.script,
      HOSTILE.plus,
      HOSTILE.minus,
      HOSTILE.unicode,
      HOSTILE.long,
    ].map((displayName, i) => ({
      user: { ...shen, entityRef: `user:default/hostile-${i}`, displayName },
      grants: [
        i === 0
          ? {
              ...twoPathGrant,
              accountId: '300000000002',
              accountName: HOSTILE.formula,
            }
          : twoPathGrant,
      ],
    }));
    const api = fakeAwsAccessApi({
      getGroupAccess: async () =>
        groupAccess({
          group: { ...groupAccess().group, name: HOSTILE.img },
          members,
        }),
    });
    const team: GroupEntity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: 'team_a', title: HOSTILE.script },
      spec: { type: 'team', children: [] },
    };
    renderWithApi(<EntityAwsTeamAccessCard />, { api, entity: team });
    expect(await screen.findByTestId('access-matrix')).toBeInTheDocument();
    for (const name of [
      HOSTILE.script,
      HOSTILE.plus,
      HOSTILE.minus,
      HOSTILE.unicode,
      HOSTILE.long,
    ]) {
      expect(screen.getByText(name)).toBeInTheDocument();
    }
    expect(
      screen.getAllByRole('columnheader').map(header => header.textContent),
    ).toContain(HOSTILE.formula);
    expectNoInjectedMarkup();
  });
});
