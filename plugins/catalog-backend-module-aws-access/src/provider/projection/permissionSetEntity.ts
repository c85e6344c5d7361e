import type { ResourceEntity } from '@backstage/catalog-model';
import type { PermissionSet } from '@aws-access/plugin-aws-access-common';
import {
  ANNOTATION_AWS_ARN,
  ANNOTATION_AWS_IDENTITY_CENTER_INSTANCE_ARN,
  ANNOTATION_AWS_MANAGED_POLICIES,
  ANNOTATION_AWS_PERMISSION_SET_ARN,
  ANNOTATION_AWS_SESSION_DURATION,
  RESOURCE_TYPE_AWS_PERMISSION_SET,
} from '@aws-access/plugin-aws-access-common';
import { asArray, cleanText, isNonEmptyString } from '../sanitize';
import { locationAnnotations, resolveOwner } from './entityRefs';
import type { MappingReport } from './MappingReport';
import type { MappingOptions } from './types';

/** The `aws-permission-set` Resource of one permission set. */
export function toPermissionSetEntity(
  ps: PermissionSet,
  context: {
    name: string;
    options: MappingOptions;
    instanceArn?: string;
    report: MappingReport;
  },
): ResourceEntity {
  const { name, options, report } = context;
  const annotations: Record<string, string> = {
    ...locationAnnotations(options.providerId, 'Resource', name),
    [ANNOTATION_AWS_PERMISSION_SET_ARN]: ps.arn,
    [ANNOTATION_AWS_ARN]: ps.arn,
    [ANNOTATION_AWS_MANAGED_POLICIES]: managedPolicyNames(ps).join(','),
  };
  if (isNonEmptyString(ps.sessionDuration)) {
    annotations[ANNOTATION_AWS_SESSION_DURATION] = cleanText(
      ps.sessionDuration,
      40,
    );
  }
  if (isNonEmptyString(context.instanceArn)) {
    annotations[ANNOTATION_AWS_IDENTITY_CENTER_INSTANCE_ARN] =
      context.instanceArn;
  }
  const tags = ps.tags && typeof ps.tags === 'object' ? ps.tags : {};
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      title: cleanText(ps.name, 200) || name,
      description: summarizePermissionSet(ps),
      annotations,
    },
    spec: {
      type: RESOURCE_TYPE_AWS_PERMISSION_SET,
      owner: resolveOwner(tags, `permission set ${ps.arn}`, options, report),
    },
  };
}

/** One line per fact: description, session, managed/customer managed/inline policies, boundary. */
export function summarizePermissionSet(ps: PermissionSet): string {
  const managed = managedPolicyNames(ps);
  const customer = asArray<{ name?: string; path?: string }>(
    ps.customerManagedPolicies,
  )
    .map(p => customerPolicyName(p?.path, p?.name))
    .filter(Boolean);
  const boundary = ps.permissionsBoundary
    ? cleanText(
        ps.permissionsBoundary.managedPolicyArn
          ? lastSegment(ps.permissionsBoundary.managedPolicyArn)
          : `${ps.permissionsBoundary.customerManagedPolicy?.path ?? ''}${
              ps.permissionsBoundary.customerManagedPolicy?.name ?? ''
            }`,
        128,
      )
    : '';
  const description = cleanText(ps.description, 300).replace(/[.]+$/, '');
  const parts = [
    description ? `${description}.` : '',
    isNonEmptyString(ps.sessionDuration)
      ? `Session duration ${cleanText(ps.sessionDuration, 20)}.`
      : '',
    `AWS managed policies: ${managed.length ? managed.join(', ') : 'none'}.`,
    `Customer managed policies: ${
      customer.length ? customer.join(', ') : 'none'
    }.`,
    `Inline policy: ${isNonEmptyString(ps.inlinePolicy) ? 'yes' : 'no'}.`,
    `Permissions boundary: ${boundary || 'none'}.`,
  ];
  return cleanText(parts.filter(Boolean).join(' '), 1000);
}

/** The names of the AWS managed policies (the last ARN segment where only the ARN is known). */
function managedPolicyNames(ps: PermissionSet): string[] {
  return asArray<{ name?: string; arn?: string }>(ps.managedPolicies)
    .map(p => cleanText(p?.name || (p?.arn ? lastSegment(p.arn) : ''), 128))
    .filter(Boolean);
}

/** `/path/Name` of a customer managed policy; the default path `/` is left out. */
function customerPolicyName(
  policyPath: string | undefined,
  name: string | undefined,
): string {
  return cleanText(
    `${policyPath && policyPath !== '/' ? policyPath : ''}${name ?? ''}`,
    128,
  );
}

function lastSegment(value: string): string {
  const parts = value.split(/[/:]/);
  return parts[parts.length - 1] || value;
}
