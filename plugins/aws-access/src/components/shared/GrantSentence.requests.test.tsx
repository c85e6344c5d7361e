import { screen } from '@testing-library/react';
import type { Grant } from '@aws-access/plugin-aws-access-common';
import { GrantsTable } from './GrantsTable';
import { fakeAwsAccessApi, renderWithApi } from '../../__testUtils__/render';
import { activeGrant, localIso } from '../../__testUtils__/fixtures';
import { maria } from '../../__testUtils__/requests';

/** DeveloperAdmin on payments-prod through AWS-Payments-Prod-Admin, caused by Aamir's request req-1. */
function adminGrant(overrides: Partial<Grant>): Grant {
  return {
    ...activeGrant,
    permissionSet: {
      name: 'DeveloperAdmin',
      arn: 'arn:aws:sso:::permissionSet/ssoins-1/ps-3',
      sessionDuration: 'PT4H',
    },
    via: [
      {
        type: 'group',
        name: 'AWS-Payments-Prod-Admin',
        entityRef: 'group:default/aws-payments-prod-admin',
        state: overrides.state ?? 'active',
      },
    ],
    ...overrides,
  };
}

function sentenceOf(grant: Grant) {
  renderWithApi(
    <GrantsTable grants={[grant]} context={{ perspective: 'self' }} />,
    { api: fakeAwsAccessApi() },
  );
  return screen.findByTestId('grant-sentence');
}

describe('GrantSentence for grants an access request caused', () => {
  it('says who approved and when AWS should show it', async () => {
    const sentence = await sentenceOf(
      adminGrant({
        state: 'pending',
        launchUrl: undefined,
        expectedBy: localIso(10, 4),
        request: {
          id: 'req-1',
          state: 'granting',
          approvedBy: [maria.entityRef],
          approvedByNames: [maria.displayName],
          approvedAt: localIso(10, 2),
          expiresAt: localIso(11, 2),
        },
      }),
    );
    expect(sentence).toHaveTextContent(
      'Approved by Maria Gonzalez 10:02, AWS expected by ≈ 10:04.',
    );
  });

  it('falls back to the approver ref and to "not shown yet" without an expected time', async () => {
    const sentence = await sentenceOf(
      adminGrant({
        state: 'stuck',
        launchUrl: undefined,
        request: {
          id: 'req-1',
          state: 'granting',
          approvedBy: [maria.entityRef],
          approvedAt: localIso(10, 2),
        },
      }),
    );
    expect(sentence).toHaveTextContent(
      'Approved by user:default/maria_example.com 10:02; AWS has not shown it yet.',
    );
  });

  it('says a request is waiting for approval', async () => {
    const sentence = await sentenceOf(
      adminGrant({
        state: 'pending',
        launchUrl: undefined,
        request: { id: 'req-1', state: 'submitted', approvedBy: [] },
      }),
    );
    expect(sentence).toHaveTextContent(
      'Requested through AWS-Payments-Prod-Admin, waiting for approval.',
    );
  });

  it('says when requested access that AWS shows ends', async () => {
    const sentence = await sentenceOf(
      adminGrant({
        request: {
          id: 'req-1',
          state: 'active',
          approvedBy: [maria.entityRef],
          approvedAt: localIso(10, 2),
          expiresAt: localIso(11, 2),
        },
      }),
    );
    expect(sentence).toHaveTextContent('Requested access: it ends at 11:02.');
  });

  it('keeps the usual sentence once the request is being revoked', async () => {
    const sentence = await sentenceOf(
      adminGrant({
        state: 'revoking',
        request: {
          id: 'req-1',
          state: 'revoking',
          approvedBy: [maria.entityRef],
          expiresAt: localIso(11, 2),
        },
      }),
    );
    expect(sentence).toHaveTextContent(
      'Entra removed this; AWS still allows it until the next provisioning cycle.',
    );
  });
});
