const ACCOUNT_ID = /^\d{12}$/;
// Permission set names: 1-32 characters of [\w+=,.@-] (sso-admin model).
const PERMISSION_SET_NAME = /^[\w+=,.@-]{1,32}$/;

function assertAccountId(accountId: string) {
  if (!ACCOUNT_ID.test(accountId)) {
    throw new TypeError(
      `Invalid AWS account id "${accountId}": expected 12 digits`,
    );
  }
}

function assertPermissionSetName(name: string) {
  if (!PERMISSION_SET_NAME.test(name)) {
    throw new TypeError(
      `Invalid permission set name "${name}": expected 1-32 characters of letters, digits and +=,.@_-`,
    );
  }
}

function parseHttpsUrl(value: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`Invalid ${what} "${value}": not a URL`);
  }
  if (url.protocol !== 'https:') {
    throw new TypeError(`Invalid ${what} "${value}": must use https`);
  }
  return url;
}

/**
 * The AWS partition a region belongs to: `aws-cn` for `cn-*`, `aws-us-gov` for `us-gov-*`, `aws` otherwise.
 *
 * @public
 */
export type AwsPartition = 'aws' | 'aws-us-gov' | 'aws-cn';

/**
 * The partition of a region. Identity Center does not run in the isolated (ISO) partitions, so their regions are
 * refused rather than guessed.
 *
 * @public
 */
export function awsPartitionOf(region: string): AwsPartition {
  if (/^[a-z]{2}-iso/.test(region)) {
    throw new TypeError(
      `Unsupported region "${region}": IAM Identity Center runs in the aws, aws-us-gov and aws-cn partitions`,
    );
  }
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/**
 * The AWS access portal URL of an Identity Center instance when none is configured, by the partition of its
 * region: `https://<identityStoreId>.awsapps.com/start` (`aws`, the default),
 * `https://start.us-gov-home.awsapps.com/directory/<identityStoreId>` (`aws-us-gov`) or
 * `https://start.home.awsapps.cn/directory/<identityStoreId>` (`aws-cn`).
 *
 * @public
 */
export function defaultAccessPortalUrl(
  identityStoreId: string,
  region = 'us-east-1',
): string {
  if (!/^d-[0-9a-f]{10}$/.test(identityStoreId)) {
    throw new TypeError(
      `Invalid identity store id "${identityStoreId}": expected d- followed by 10 hex digits`,
    );
  }
  switch (awsPartitionOf(region)) {
    case 'aws-us-gov':
      return `https://start.us-gov-home.awsapps.com/directory/${identityStoreId}`;
    case 'aws-cn':
      return `https://start.home.awsapps.cn/directory/${identityStoreId}`;
    default:
      return `https://${identityStoreId}.awsapps.com/start`;
  }
}

/** @public */
export interface LaunchUrlOptions {
  /** The access portal start URL, e.g. `https://d-9067a1b2c3.awsapps.com/start`. */
  accessPortalUrl: string;
  /** 12-digit account id. */
  accountId: string;
  /** Permission set name; the portal calls it the role name. */
  permissionSetName: string;
  /** Optional console URL to land on instead of the permission set's relay state. */
  destination?: string;
}

/**
 * A shortcut link into the AWS access portal with account and role preselected:
 * `<portal>/#/console?account_id=<id>&role_name=<permission set>[&destination=<url>]`.
 *
 * @public
 */
export function buildLaunchUrl(options: LaunchUrlOptions): string {
  const portal = parseHttpsUrl(options.accessPortalUrl, 'access portal URL');
  assertAccountId(options.accountId);
  assertPermissionSetName(options.permissionSetName);
  const base = `${portal.origin}${portal.pathname.replace(/\/+$/, '')}`;
  const query = [
    `account_id=${options.accountId}`,
    `role_name=${encodeURIComponent(options.permissionSetName)}`,
  ];
  if (options.destination) {
    parseHttpsUrl(options.destination, 'destination');
    query.push(`destination=${encodeURIComponent(options.destination)}`);
  }
  return `${base}/#/console?${query.join('&')}`;
}

/**
 * The Entra My Apps link that signs the user in to the AWS enterprise application (IdP-initiated SAML).
 *
 * @public
 */
export function buildMyAppsUrl(options: {
  appId: string;
  tenantId: string;
}): string {
  const guid =
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  if (!guid.test(options.appId) || !guid.test(options.tenantId)) {
    throw new TypeError(
      'Invalid My Apps link: appId and tenantId must be GUIDs',
    );
  }
  return `https://launcher.myapps.microsoft.com/api/signin/${options.appId}?tenantId=${options.tenantId}`;
}

/** @public */
export interface AwsCliConfigOptions {
  /** Name of the `[sso-session ...]` block. */
  sessionName: string;
  /** Access portal start URL. */
  startUrl: string;
  /** Identity Center region. */
  region: string;
  /** The grants to write profiles for. */
  profiles: Array<{
    accountId: string;
    accountName: string;
    permissionSetName: string;
  }>;
}

/**
 * Profile names: `<account name>-<permission set>`, lower case, safe for INI section names.
 *
 * @public
 */
export function awsCliProfileName(
  accountName: string,
  permissionSetName: string,
): string {
  return `${accountName}-${permissionSetName}`
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
}

/**
 * `~/.aws/config` text with one `sso-session` and one profile per grant, for `aws sso login --sso-session`.
 *
 * @public
 */
export function buildAwsCliConfig(options: AwsCliConfigOptions): string {
  const portal = parseHttpsUrl(options.startUrl, 'access portal URL');
  const lines = [
    `[sso-session ${options.sessionName}]`,
    `sso_start_url = ${portal.href.replace(/\/+$/, '')}`,
    `sso_region = ${options.region}`,
    'sso_registration_scopes = sso:account:access',
  ];
  const seen = new Set<string>();
  for (const profile of options.profiles) {
    assertAccountId(profile.accountId);
    assertPermissionSetName(profile.permissionSetName);
    const name = awsCliProfileName(
      profile.accountName,
      profile.permissionSetName,
    );
    if (seen.has(name)) continue;
    seen.add(name);
    lines.push(
      '',
      `[profile ${name}]`,
      `sso_session = ${options.sessionName}`,
      `sso_account_id = ${profile.accountId}`,
      `sso_role_name = ${profile.permissionSetName}`,
      `region = ${options.region}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
