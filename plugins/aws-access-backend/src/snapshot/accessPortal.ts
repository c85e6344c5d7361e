import type { AwsSide, IdentitySide } from './model';

// Access portals live on awsapps.com (awsapps.cn in China), custom aliases included.
const PORTAL_HOST = /(^|\.)awsapps\.(com|cn)$/;

function isPortalUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && PORTAL_HOST.test(url.hostname);
  } catch {
    return false;
  }
}

/**
 * The access portal launch links go through. Identity Center has no API for a custom portal alias, but the Entra AWS
 * app's sign-on URL is that portal: it replaces the instance's default (`https://<identityStoreId>.awsapps.com/start`)
 * unless `identityCenter.accessPortalUrl` is configured. A sign-on URL that is not an access portal is ignored.
 */
export function withSignOnPortal(
  aws: AwsSide,
  identity: IdentitySide,
): AwsSide {
  const signOn = identity.app.loginUrl;
  if (aws.accessPortalUrlFrom !== 'default' || !signOn || !isPortalUrl(signOn))
    return aws;
  return {
    ...aws,
    accessPortalUrl: signOn.replace(/\/+$/, ''),
    accessPortalUrlFrom: 'entra',
  };
}
