import type { ResourceEntity } from '@backstage/catalog-model';
import type { AwsAccount } from '@aws-access/plugin-aws-access-common';
import {
  ANNOTATION_AWS_ACCOUNT_ID,
  ANNOTATION_AWS_ARN,
  ANNOTATION_AWS_ORGANIZATION_ID,
  LABEL_AWS_ACCOUNT_OU,
  LABEL_AWS_ACCOUNT_STATUS,
  RESOURCE_TYPE_CLOUD_ACCOUNT,
} from '@aws-access/plugin-aws-access-common';
import { cleanText, isNonEmptyString, toLabelValue } from '../sanitize';
import { locationAnnotations, resolveOwner, resolveSystem } from './entityRefs';
import type { MappingReport } from './MappingReport';
import type { MappingOptions } from './types';

const ORGANIZATION_ID_PATTERN = /^o-[a-z0-9]{10,32}$/;

/** The `cloud-account` Resource of one account. */
export function toCloudAccountEntity(
  account: AwsAccount,
  context: {
    name: string;
    options: MappingOptions;
    organizationId?: string;
    report: MappingReport;
  },
): ResourceEntity {
  const { name, options, report } = context;
  const subject = `account ${account.id}`;
  const ouPath = typeof account.ouPath === 'string' ? account.ouPath : '';
  const status = typeof account.status === 'string' ? account.status : '';
  const organizationId =
    context.organizationId ?? organizationIdFromArn(account.arn);
  const tags =
    account.tags && typeof account.tags === 'object' ? account.tags : {};
  const details = [cleanText(ouPath, 200), cleanText(status, 40)].filter(
    Boolean,
  );
  const entity: ResourceEntity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      title: cleanText(account.name, 200) || account.id,
      description: `AWS account ${account.id}${
        details.length ? ` (${details.join(', ')})` : ''
      }`,
      annotations: {
        ...locationAnnotations(options.providerId, 'Resource', name),
        [ANNOTATION_AWS_ACCOUNT_ID]: account.id,
        ...(isNonEmptyString(account.arn)
          ? { [ANNOTATION_AWS_ARN]: account.arn }
          : {}),
        ...(organizationId && ORGANIZATION_ID_PATTERN.test(organizationId)
          ? { [ANNOTATION_AWS_ORGANIZATION_ID]: organizationId }
          : {}),
      },
      labels: accountLabels(status, ouPath),
    },
    spec: {
      type: RESOURCE_TYPE_CLOUD_ACCOUNT,
      owner: resolveOwner(tags, subject, options, report),
    },
  };
  const system = resolveSystem(tags, subject, options, report);
  if (system) {
    entity.spec.system = system;
  }
  if (options.accessPageUrl) {
    entity.metadata.links = [
      { url: options.accessPageUrl, title: 'AWS access' },
    ];
  }
  return entity;
}

/** The organization id inside an account ARN (`arn:aws:organizations::…:account/o-…/<id>`). */
function organizationIdFromArn(arn: unknown): string | undefined {
  return typeof arn === 'string'
    ? arn.split('/').find(part => ORGANIZATION_ID_PATTERN.test(part))
    : undefined;
}

/** Status and OU path as labels, where they survive being made label-safe. */
function accountLabels(status: string, ouPath: string): Record<string, string> {
  const labels: Record<string, string> = {};
  const statusLabel = toLabelValue(status.toLocaleLowerCase('en-US'));
  if (statusLabel) {
    labels[LABEL_AWS_ACCOUNT_STATUS] = statusLabel;
  }
  const ouLabel = toLabelValue(ouPath);
  if (ouLabel) {
    labels[LABEL_AWS_ACCOUNT_OU] = ouLabel;
  }
  return labels;
}
