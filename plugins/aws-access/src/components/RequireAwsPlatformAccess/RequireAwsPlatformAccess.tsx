import { usePermission } from '@backstage/plugin-permission-react';
import { awsAccessAllReadPermission } from '@aws-access/plugin-aws-access-common';
import type { ReactNode } from 'react';

/**
 * Renders its children only for people allowed to read everything (`aws-access.all.read`), e.g. to show the
 * "AWS platform" sidebar item only to the platform team. Convenience only: the backend enforces the permission.
 *
 * @public
 */
export function RequireAwsPlatformAccess(props: {
  children?: ReactNode;
}): JSX.Element | null {
  const { allowed } = usePermission({ permission: awsAccessAllReadPermission });
  return allowed ? <>{props.children}</> : null;
}
