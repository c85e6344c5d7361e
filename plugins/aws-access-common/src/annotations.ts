/** The 12-digit AWS account id of a `cloud-account` Resource (same key as the upstream AWS catalog module). @public */
export const ANNOTATION_AWS_ACCOUNT_ID = 'amazonaws.com/account-id';
/** The ARN of an AWS resource (account or permission set). @public */
export const ANNOTATION_AWS_ARN = 'amazonaws.com/arn';
/** The AWS Organizations id of an account's organization. @public */
export const ANNOTATION_AWS_ORGANIZATION_ID = 'amazonaws.com/organization-id';
/** The ARN of an IAM Identity Center permission set. @public */
export const ANNOTATION_AWS_PERMISSION_SET_ARN =
  'amazonaws.com/permission-set-arn';
/** The ARN of the IAM Identity Center instance an entity belongs to. @public */
export const ANNOTATION_AWS_IDENTITY_CENTER_INSTANCE_ARN =
  'amazonaws.com/identity-center-instance-arn';
/** Session duration (ISO 8601) of a permission set. @public */
export const ANNOTATION_AWS_SESSION_DURATION = 'amazonaws.com/session-duration';
/** Comma-separated managed policy names attached to a permission set. @public */
export const ANNOTATION_AWS_MANAGED_POLICIES = 'amazonaws.com/managed-policies';

/** Entra object id of a user, as the msgraph catalog module writes it. @public */
export const ANNOTATION_MICROSOFT_GRAPH_USER_ID = 'graph.microsoft.com/user-id';
/** Entra object id of a group, as the msgraph catalog module writes it. @public */
export const ANNOTATION_MICROSOFT_GRAPH_GROUP_ID =
  'graph.microsoft.com/group-id';
/** Entra tenant id, as the msgraph catalog module writes it. @public */
export const ANNOTATION_MICROSOFT_GRAPH_TENANT_ID =
  'graph.microsoft.com/tenant-id';
/** Mail address of a user or group, as the msgraph catalog module writes it. @public */
export const ANNOTATION_MICROSOFT_EMAIL = 'microsoft.com/email';

/** Label holding an account's OU path, `/` replaced by `.` to fit label values. @public */
export const LABEL_AWS_ACCOUNT_OU = 'amazonaws.com/organizational-unit';
/** Label holding an account's status in lower case (active, suspended, ...), as the upstream AWS module writes it. @public */
export const LABEL_AWS_ACCOUNT_STATUS = 'amazonaws.com/account-status';

/** `spec.type` of AWS account Resources. @public */
export const RESOURCE_TYPE_CLOUD_ACCOUNT = 'cloud-account';
/** `spec.type` of IAM Identity Center permission set Resources. @public */
export const RESOURCE_TYPE_AWS_PERMISSION_SET = 'aws-permission-set';
