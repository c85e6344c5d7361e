import type {
  AccessRequest,
  PolicyLintReport,
  Requestable,
  RequestableGrant,
} from '@aws-access/plugin-aws-access-common';
import { aamir, localIso } from './fixtures';

/*
 * Access requests in the seed world: Aamir asks for DeveloperAdmin on payments-prod through
 * AWS-Payments-Prod-Admin (owner Maria), and may also ask for PowerUser on the dev accounts.
 */

export const maria = {
  entityRef: 'user:default/maria_example.com',
  displayName: 'Maria Gonzalez',
};

const permissionSet = (name: string, n: number, sessionDuration = 'PT4H') => ({
  name,
  arn: `arn:aws:sso:::permissionSet/ssoins-1/ps-${n}`,
  sessionDuration,
});

export const adminOnPaymentsProd: RequestableGrant = {
  accountId: '200000000003',
  accountName: 'payments-prod',
  permissionSet: permissionSet('DeveloperAdmin', 3),
};

export const powerUserOnPaymentsDev: RequestableGrant = {
  accountId: '200000000001',
  accountName: 'payments-dev',
  permissionSet: permissionSet('DeveloperPowerUser', 2, 'PT8H'),
};

export const powerUserOnCheckoutDev: RequestableGrant = {
  accountId: '300000000001',
  accountName: 'checkout-dev',
  permissionSet: permissionSet('DeveloperPowerUser', 2, 'PT8H'),
};

/** AWS-Payments-Prod-Admin: one approval, at most 4 h (default 1 h), justification and an incident ticket. */
export function adminRequestable(
  overrides: Partial<Requestable> = {},
): Requestable {
  return {
    group: {
      entityRef: 'group:default/aws-payments-prod-admin',
      name: 'AWS-Payments-Prod-Admin',
    },
    policy: {
      maxDuration: 'PT4H',
      defaultDuration: 'PT1H',
      justification: 'required',
      approvals: 1,
      autoApprove: false,
      ticketPattern: '^(INC|CHG)-\\d+$',
      mode: 'membership',
    },
    grants: [adminOnPaymentsProd],
    member: false,
    ...overrides,
  };
}

/** AWS-Developers-PowerUser: auto-approved, standing access allowed, justification optional, no ticket. */
export function powerUserRequestable(
  overrides: Partial<Requestable> = {},
): Requestable {
  return {
    group: {
      entityRef: 'group:default/aws-developers-poweruser',
      name: 'AWS-Developers-PowerUser',
    },
    policy: {
      justification: 'optional',
      approvals: 1,
      autoApprove: true,
      mode: 'membership',
    },
    grants: [powerUserOnPaymentsDev, powerUserOnCheckoutDev],
    member: false,
    ...overrides,
  };
}

const noActions: AccessRequest['actions'] = {
  approve: false,
  deny: false,
  cancel: false,
  revoke: false,
  retry: false,
};

/** Aamir's request for AWS-Payments-Prod-Admin, waiting for Maria. */
export function accessRequest(
  overrides: Partial<AccessRequest> = {},
): AccessRequest {
  return {
    id: 'req-1',
    requester: aamir.entityRef,
    requesterName: aamir.displayName,
    group: adminRequestable().group,
    justification: 'Fix the failing settlement job (INC-4711)',
    ticket: 'INC-4711',
    duration: 'PT1H',
    state: 'submitted',
    mode: 'membership',
    createdAt: localIso(10, 0),
    approvals: [],
    approvalsRequired: 1,
    grants: [adminOnPaymentsProd],
    ...overrides,
    actions: { ...noActions, ...overrides.actions },
  };
}

/** The same request after Maria approved it at 10:02 and AWS showed it at 10:04; it expires at 11:02. */
export function activeRequest(
  overrides: Partial<AccessRequest> = {},
): AccessRequest {
  return accessRequest({
    state: 'active',
    decidedAt: localIso(10, 2),
    approvals: [
      {
        by: maria.entityRef,
        byName: maria.displayName,
        at: localIso(10, 2),
        note: 'ok, for the incident',
      },
    ],
    grantedAt: localIso(10, 4),
    expiresAt: localIso(11, 2),
    ...overrides,
  });
}

export function lintReport(): PolicyLintReport {
  return {
    findings: [
      {
        code: 'admin-without-max-duration',
        severity: 'error',
        message:
          'group:default/aws-*-admin grants an admin permission set without maxDuration',
        policy: 'group:default/aws-*-admin',
      },
      {
        code: 'no-approvers',
        severity: 'warning',
        message: 'Nobody can approve requests for AWS-Data-Analysts',
        group: 'group:default/aws-data-analysts',
      },
    ],
  };
}
