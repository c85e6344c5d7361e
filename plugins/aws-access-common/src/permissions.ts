import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Resource type of group-scoped reads: the resource ref is the group's entity ref, so a policy can allow
 * members of a group to read that group's access (rule `IS_GROUP_MEMBER`).
 *
 * @public
 */
export const AWS_ACCESS_GROUP_RESOURCE_TYPE = 'aws-access-group';

/**
 * Read another user's AWS access. Reading your own never needs a permission.
 *
 * @public
 */
export const awsAccessUserReadPermission = createPermission({
  name: 'aws-access.user.read',
  attributes: { action: 'read' },
});

/**
 * Read a group's access (its assignments and its members' grants). Conditional on the group.
 *
 * @public
 */
export const awsAccessGroupReadPermission = createPermission({
  name: 'aws-access.group.read',
  attributes: { action: 'read' },
  resourceType: AWS_ACCESS_GROUP_RESOURCE_TYPE,
});

/**
 * Read everything: every user's grants, full reports, drift, unmanaged principals and onboarding plans.
 *
 * @public
 */
export const awsAccessAllReadPermission = createPermission({
  name: 'aws-access.all.read',
  attributes: { action: 'read' },
});

/**
 * Read the access report (`/report`, JSON or CSV) of the people the caller may see; a service with only this
 * permission (external access `accessRestrictions`) reads the report of everyone and nothing else.
 *
 * @public
 */
export const awsAccessReportReadPermission = createPermission({
  name: 'aws-access.report.read',
  attributes: { action: 'read' },
});

/** Start a sync run now. @public */
export const awsAccessSyncTriggerPermission = createPermission({
  name: 'aws-access.sync.trigger',
  attributes: { action: 'update' },
});

/** Approve a snapshot the mass-delete brake held back. @public */
export const awsAccessSnapshotApprovePermission = createPermission({
  name: 'aws-access.snapshot.approve',
  attributes: { action: 'update' },
});

/** Create or delete Identity Center account assignments (account onboarding). @public */
export const awsAccessAssignmentWritePermission = createPermission({
  name: 'aws-access.assignment.write',
  attributes: { action: 'create' },
});

/** Ask Entra to provision yourself now (provision-on-demand for your own pending grants). @public */
export const awsAccessProvisionSelfPermission = createPermission({
  name: 'aws-access.provision.self',
  attributes: { action: 'update' },
});

/** Provision or deprovision anyone now, including leavers ("deprovision now"). @public */
export const awsAccessProvisionAnyPermission = createPermission({
  name: 'aws-access.provision.any',
  attributes: { action: 'update' },
});

/**
 * Ask for membership of a requestable group (an access request). Conditional on the group, so a policy can
 * narrow which groups people may request; the governance policy in config decides who may request at all.
 *
 * @public
 */
export const awsAccessRequestCreatePermission = createPermission({
  name: 'aws-access.request.create',
  attributes: { action: 'create' },
  resourceType: AWS_ACCESS_GROUP_RESOURCE_TYPE,
});

/**
 * Approve or deny requests for a group. Conditional on the group: the permission framework can narrow the
 * approvers the governance policy names, never add to them.
 *
 * @public
 */
export const awsAccessRequestApprovePermission = createPermission({
  name: 'aws-access.request.approve',
  attributes: { action: 'update' },
  resourceType: AWS_ACCESS_GROUP_RESOURCE_TYPE,
});

/** List every access request and revoke or retry anyone's (the platform team). @public */
export const awsAccessRequestManagePermission = createPermission({
  name: 'aws-access.request.manage',
  attributes: { action: 'update' },
});

/**
 * Start access review campaigns, see every campaign and item, export the evidence, delegate any item, and decide
 * the items of groups that have no other reviewer (the platform team). @public
 */
export const awsAccessReviewManagePermission = createPermission({
  name: 'aws-access.review.manage',
  attributes: { action: 'update' },
});

/** Every aws-access permission, for the permissions registry. @public */
export const awsAccessPermissions = [
  awsAccessUserReadPermission,
  awsAccessGroupReadPermission,
  awsAccessAllReadPermission,
  awsAccessReportReadPermission,
  awsAccessSyncTriggerPermission,
  awsAccessSnapshotApprovePermission,
  awsAccessAssignmentWritePermission,
  awsAccessProvisionSelfPermission,
  awsAccessProvisionAnyPermission,
  awsAccessRequestCreatePermission,
  awsAccessRequestApprovePermission,
  awsAccessRequestManagePermission,
  awsAccessReviewManagePermission,
];
