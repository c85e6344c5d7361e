import { InfoCard } from '@backstage/core-components';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { AccountAccess } from '@aws-access/plugin-aws-access-common';
import { ANNOTATION_AWS_ACCOUNT_ID } from '@aws-access/plugin-aws-access-common';
import { useAccountAccess } from '../../hooks';
import { formatSessionDuration } from '../../lib/time';
import { GrantStateChip, useFormat, CardBody } from '../shared';
import { RequestAccessButton } from '../AccessRequests';

function AccountAccessView(props: { data: AccountAccess }) {
  const { data } = props;
  const { t, via } = useFormat();
  const people = [...data.people].sort((a, b) =>
    a.user.displayName.localeCompare(b.user.displayName),
  );

  return (
    <>
      <Typography variant="body2" data-testid="account-summary">
        {data.account.name} · {t('grants.accountId')}: {data.account.id} ·{' '}
        {t('grants.ou')}: {data.account.ouPath} · {t('accountCard.status')}:{' '}
        {data.account.status}
      </Typography>

      <Box mt={2}>
        <Typography variant="subtitle2">
          {t('accountCard.assignments')}
        </Typography>
        {data.assignments.length === 0 ? (
          <Typography variant="body2" data-testid="no-assignments">
            {t('accountCard.noAssignments')}
          </Typography>
        ) : (
          <Table size="small" aria-label={t('accountCard.assignments')}>
            <TableHead>
              <TableRow>
                <TableCell>{t('accountCard.principal')}</TableCell>
                <TableCell>{t('accountCard.type')}</TableCell>
                <TableCell>{t('grants.permissionSet')}</TableCell>
                <TableCell>{t('grants.session')}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {data.assignments.map(assignment => (
                <TableRow
                  key={`${assignment.principal.type}:${assignment.principal.name}:${assignment.permissionSet.name}`}
                  data-testid="assignment-row"
                >
                  <TableCell>{assignment.principal.name}</TableCell>
                  <TableCell>
                    {assignment.principal.type}
                    {!assignment.principal.managed &&
                      ` · ${t('accountCard.unmanaged')}`}
                  </TableCell>
                  <TableCell>{assignment.permissionSet.name}</TableCell>
                  <TableCell>
                    {formatSessionDuration(
                      assignment.permissionSet.sessionDuration,
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Box>

      <Box mt={2}>
        <Typography variant="subtitle2">{t('accountCard.people')}</Typography>
        {people.length === 0 ? (
          <Typography variant="body2" data-testid="no-people">
            {t('accountCard.noPeople')}
          </Typography>
        ) : (
          <Table size="small" aria-label={t('accountCard.people')}>
            <TableHead>
              <TableRow>
                <TableCell>{t('platform.person')}</TableCell>
                <TableCell>{t('grants.permissionSet')}</TableCell>
                <TableCell>{t('grants.via')}</TableCell>
                <TableCell>{t('grants.state')}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {people.flatMap(person =>
                person.grants
                  .filter(grant => grant.accountId === data.account.id)
                  .map(grant => (
                    <TableRow
                      key={`${person.user.entityRef}:${grant.permissionSet.name}`}
                      data-testid="person-row"
                      data-member={person.user.entityRef}
                      data-state={grant.state}
                    >
                      <TableCell>{person.user.displayName}</TableCell>
                      <TableCell>{grant.permissionSet.name}</TableCell>
                      <TableCell>{via(grant.via)}</TableCell>
                      <TableCell>
                        <GrantStateChip state={grant.state} />
                      </TableCell>
                    </TableRow>
                  )),
              )}
            </TableBody>
          </Table>
        )}
      </Box>
    </>
  );
}

/**
 * Who can reach an AWS account, and how, on its `cloud-account` Resource page: the assignments on the account
 * (group or user, permission set, whether Entra manages the principal) and the people with a grant on it, with
 * *Request access* for the groups a policy lets the viewer request on this account.
 */
export const EntityAwsAccountAccessCard = () => {
  const { entity } = useEntity();
  const { t } = useFormat();
  const accountId = entity.metadata.annotations?.[ANNOTATION_AWS_ACCOUNT_ID];
  const { account, loading, error, retry } = useAccountAccess(accountId);

  const accountName =
    account?.account.name ?? entity.metadata.title ?? entity.metadata.name;
  return (
    <InfoCard
      title={t('accountCard.title')}
      action={
        accountId ? (
          <RequestAccessButton account={{ id: accountId, name: accountName }} />
        ) : undefined
      }
    >
      <div data-testid="aws-access-account-card">
        {accountId ? (
          <CardBody
            data={account}
            loading={loading}
            error={error}
            onRetry={retry}
          >
            {loaded => <AccountAccessView data={loaded} />}
          </CardBody>
        ) : (
          <MissingAnnotationEmptyState annotation={ANNOTATION_AWS_ACCOUNT_ID} />
        )}
      </div>
    </InfoCard>
  );
};
