import { CodeSnippet, InfoCard } from '@backstage/core-components';
import type { Entity } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type { PermissionSetDetails } from '@aws-access/plugin-aws-access-common';
import type { ReactNode } from 'react';
import { usePermissionSetDetails } from '../../hooks';
import { formatSessionDuration } from '../../lib/time';
import { useFormat, CardBody } from '../shared';

/**
 * The Identity Center name of the permission set an entity stands for: its title (entity names are lower-cased
 * by catalog naming rules, permission set names are not), else its name.
 */
export function permissionSetNameOf(entity: Entity): string {
  return entity.metadata.title || entity.metadata.name;
}

function Section(props: {
  title: string;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <Box mt={2} data-testid={props.testId}>
      <Typography variant="subtitle2">{props.title}</Typography>
      {props.children}
    </Box>
  );
}

function PermissionSetView(props: { details: PermissionSetDetails }) {
  const { permissionSet, assignments, provisioningFailures } = props.details;
  const { t } = useFormat();
  const none = (
    <Typography variant="body2" color="textSecondary">
      {t('permissionSetCard.none')}
    </Typography>
  );

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

      <Section
        title={t('permissionSetCard.managedPolicies')}
        testId="managed-policies"
      >
        {permissionSet.managedPolicies.length === 0 ? (
          none
        ) : (
          <List dense disablePadding>
            {permissionSet.managedPolicies.map(policy => (
              <ListItem key={policy.arn} disableGutters>
                <ListItemText primary={policy.name} secondary={policy.arn} />
              </ListItem>
            ))}
          </List>
        )}
      </Section>

      <Section title={t('permissionSetCard.customerPolicies')}>
        {permissionSet.customerManagedPolicies.length === 0 ? (
          none
        ) : (
          <List dense disablePadding>
            {permissionSet.customerManagedPolicies.map(policy => (
              <ListItem key={`${policy.path}${policy.name}`} disableGutters>
                <ListItemText primary={policy.name} secondary={policy.path} />
              </ListItem>
            ))}
          </List>
        )}
      </Section>

      {permissionSet.permissionsBoundary && (
        <Section title={t('permissionSetCard.boundary')}>
          <Typography variant="body2">
            {permissionSet.permissionsBoundary.managedPolicyArn ??
              `${
                permissionSet.permissionsBoundary.customerManagedPolicy?.path ??
                ''
              }${
                permissionSet.permissionsBoundary.customerManagedPolicy?.name ??
                ''
              }`}
          </Typography>
        </Section>
      )}

      {permissionSet.inlinePolicy && (
        <Section
          title={t('permissionSetCard.inlinePolicy')}
          testId="inline-policy"
        >
          <CodeSnippet
            text={permissionSet.inlinePolicy}
            language="json"
            showCopyCodeButton
          />
        </Section>
      )}

      <Section title={t('permissionSetCard.assignedOn')}>
        {assignments.length === 0 ? (
          <Typography variant="body2" data-testid="not-assigned">
            {t('permissionSetCard.notAssigned')}
          </Typography>
        ) : (
          <Table size="small" aria-label={t('permissionSetCard.assignedOn')}>
            <TableHead>
              <TableRow>
                <TableCell>{t('grants.account')}</TableCell>
                <TableCell>{t('accountCard.principal')}</TableCell>
                <TableCell>{t('accountCard.type')}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {assignments.map(assignment => (
                <TableRow
                  key={`${assignment.accountId}:${assignment.principal.type}:${assignment.principal.name}`}
                  data-testid="assignment-row"
                >
                  <TableCell>
                    {assignment.accountName} ({assignment.accountId})
                  </TableCell>
                  <TableCell>{assignment.principal.name}</TableCell>
                  <TableCell>
                    {assignment.principal.type}
                    {!assignment.principal.managed &&
                      ` · ${t('accountCard.unmanaged')}`}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Section>

      {provisioningFailures.length > 0 && (
        <Section
          title={t('permissionSetCard.provisioningFailures')}
          testId="provisioning-failures"
        >
          {provisioningFailures.map(failure => (
            <Alert key={failure.accountId} severity="error">
              {failure.accountName} ({failure.accountId})
              {failure.reason ? `: ${failure.reason}` : ''}
            </Alert>
          ))}
        </Section>
      )}
    </>
  );
}

/**
 * An IAM Identity Center permission set on its `aws-permission-set` Resource page: definition, policies, session
 * duration, where it is assigned and where provisioning it failed.
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
