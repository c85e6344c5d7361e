import { CodeSnippet, InfoCard } from '@backstage/core-components';
import type { Entity } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type { PermissionSetDetails } from '@aws-access/plugin-aws-access-common';
import { usePermissionSetDetails } from '../../hooks';
import { formatSessionDuration } from '../../lib/time';
import {
  CardBody,
  CardSection,
  LabelledTable,
  PrincipalsHiddenNote,
  useFormat,
} from '../shared';

/**
 * The Identity Center name of the permission set an entity stands for: its title (entity names are lower-cased
 * by catalog naming rules, permission set names are not), else its name.
 */
export function permissionSetNameOf(entity: Entity): string {
  return entity.metadata.title || entity.metadata.name;
}

type PermissionSet = PermissionSetDetails['permissionSet'];

function NoneText() {
  const { t } = useFormat();
  return (
    <Typography variant="body2" color="textSecondary">
      {t('permissionSetCard.none')}
    </Typography>
  );
}

/** Name, description, session duration and relay state. */
function PermissionSetHeader(props: { permissionSet: PermissionSet }) {
  const { permissionSet } = props;
  const { t } = useFormat();
  return (
    <>
      <Typography variant="h6" data-testid="permission-set-name">
        {permissionSet.name}
      </Typography>
      {permissionSet.description && (
        <Typography variant="body2">{permissionSet.description}</Typography>
      )}
      <Typography variant="body2" data-testid="permission-set-session">
        {t('permissionSetCard.session')}:{' '}
        {formatSessionDuration(permissionSet.sessionDuration)} (
        {permissionSet.sessionDuration})
      </Typography>
      {permissionSet.relayState && (
        <Typography variant="body2">
          {t('permissionSetCard.relayState')}: {permissionSet.relayState}
        </Typography>
      )}
    </>
  );
}

/** Policies as a dense list of name and where it lives (ARN or path), or "none". */
function PolicyList(props: {
  policies: Array<{ key: string; name: string; where: string }>;
}) {
  if (props.policies.length === 0) return <NoneText />;
  return (
    <List dense disablePadding>
      {props.policies.map(policy => (
        <ListItem key={policy.key} disableGutters>
          <ListItemText primary={policy.name} secondary={policy.where} />
        </ListItem>
      ))}
    </List>
  );
}

/** Managed and customer-managed policies, the permissions boundary and the inline policy. */
function PolicySections(props: { permissionSet: PermissionSet }) {
  const { permissionSet } = props;
  const { t } = useFormat();
  const boundary = permissionSet.permissionsBoundary;
  return (
    <>
      <CardSection
        title={t('permissionSetCard.managedPolicies')}
        testId="managed-policies"
      >
        <PolicyList
          policies={permissionSet.managedPolicies.map(policy => ({
            key: policy.arn,
            name: policy.name,
            where: policy.arn,
          }))}
        />
      </CardSection>
      <CardSection title={t('permissionSetCard.customerPolicies')}>
        <PolicyList
          policies={permissionSet.customerManagedPolicies.map(policy => ({
            key: `${policy.path}${policy.name}`,
            name: policy.name,
            where: policy.path,
          }))}
        />
      </CardSection>
      {boundary && (
        <CardSection title={t('permissionSetCard.boundary')}>
          <Typography variant="body2">
            {boundary.managedPolicyArn ??
              `${boundary.customerManagedPolicy?.path ?? ''}${
                boundary.customerManagedPolicy?.name ?? ''
              }`}
          </Typography>
        </CardSection>
      )}
      {permissionSet.inlinePolicy && (
        <CardSection
          title={t('permissionSetCard.inlinePolicy')}
          testId="inline-policy"
        >
          <CodeSnippet
            text={permissionSet.inlinePolicy}
            language="json"
            showCopyCodeButton
          />
        </CardSection>
      )}
    </>
  );
}

/** The accounts the permission set is assigned on, and to whom (as far as the viewer may see). */
function AssignmentsSection(props: {
  assignments: PermissionSetDetails['assignments'];
  hidden: PermissionSetDetails['principalsHidden'];
}) {
  const { assignments, hidden } = props;
  const { t } = useFormat();
  let empty: string | undefined;
  if (assignments.length === 0)
    empty = hidden?.assignments
      ? t('permissionSetCard.notAssignedToYou')
      : t('permissionSetCard.notAssigned');
  return (
    <CardSection title={t('permissionSetCard.assignedOn')}>
      {hidden && hidden.assignments > 0 && (
        <PrincipalsHiddenNote hidden={hidden} scope="permissionSet" />
      )}
      {empty !== undefined ? (
        <Typography variant="body2" data-testid="not-assigned">
          {empty}
        </Typography>
      ) : (
        <LabelledTable
          label={t('permissionSetCard.assignedOn')}
          columns={[
            t('grants.account'),
            t('accountCard.principal'),
            t('accountCard.type'),
          ]}
          rows={assignments}
          rowKey={assignment =>
            `${assignment.accountId}:${assignment.principal.type}:${assignment.principal.name}`
          }
          rowData={() => ({ 'data-testid': 'assignment-row' })}
          cells={assignment => [
            `${assignment.accountName} (${assignment.accountId})`,
            assignment.principal.name,
            `${assignment.principal.type}${
              assignment.principal.managed
                ? ''
                : ` · ${t('accountCard.unmanaged')}`
            }`,
          ]}
        />
      )}
    </CardSection>
  );
}

function PermissionSetView(props: { details: PermissionSetDetails }) {
  const { permissionSet, assignments, principalsHidden, provisioningFailures } =
    props.details;
  const { t } = useFormat();
  return (
    <>
      <PermissionSetHeader permissionSet={permissionSet} />
      <PolicySections permissionSet={permissionSet} />
      <AssignmentsSection assignments={assignments} hidden={principalsHidden} />
      {provisioningFailures.length > 0 && (
        <CardSection
          title={t('permissionSetCard.provisioningFailures')}
          testId="provisioning-failures"
        >
          {provisioningFailures.map(failure => (
            <Alert key={failure.accountId} severity="error">
              {failure.accountName} ({failure.accountId})
              {failure.reason ? `: ${failure.reason}` : ''}
            </Alert>
          ))}
        </CardSection>
      )}
    </>
  );
}

/**
 * An IAM Identity Center permission set on its `aws-permission-set` Resource page: definition, policies, session
 * duration, where it is assigned (to whom: every row for readers of all AWS access; the rows on accounts the viewer
 * owns and their own, with a count of the rest, for everyone else) and where provisioning it failed.
 */
export const EntityAwsPermissionSetCard = () => {
  const { entity } = useEntity();
  const { t } = useFormat();
  const { details, loading, error, retry } = usePermissionSetDetails(
    permissionSetNameOf(entity),
  );

  return (
    <InfoCard title={t('permissionSetCard.title')}>
      <div data-testid="aws-access-permission-set-card">
        <CardBody
          data={details}
          loading={loading}
          error={error}
          onRetry={retry}
        >
          {loaded => <PermissionSetView details={loaded} />}
        </CardBody>
      </div>
    </InfoCard>
  );
};
