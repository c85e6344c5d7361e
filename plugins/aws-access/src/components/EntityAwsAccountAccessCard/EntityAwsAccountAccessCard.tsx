import { InfoCard } from '@backstage/core-components';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import type { AccountAccess } from '@aws-access/plugin-aws-access-common';
import { ANNOTATION_AWS_ACCOUNT_ID } from '@aws-access/plugin-aws-access-common';
import { useAccountAccess } from '../../hooks';
import { formatSessionDuration } from '../../lib/time';
import {
  CardBody,
  CardSection,
  GrantStateChip,
  LabelledTable,
  PrincipalsHiddenNote,
  useFormat,
} from '../shared';
import { RequestAccessButton } from '../AccessRequests';

function AssignmentsTable(props: { data: AccountAccess }) {
  const { t } = useFormat();
  return (
    <LabelledTable
      label={t('accountCard.assignments')}
      columns={[
        t('accountCard.principal'),
        t('accountCard.type'),
        t('grants.permissionSet'),
        t('grants.session'),
      ]}
      rows={props.data.assignments}
      rowKey={assignment =>
        `${assignment.principal.type}:${assignment.principal.name}:${assignment.permissionSet.name}`
      }
      rowData={() => ({ 'data-testid': 'assignment-row' })}
      cells={assignment => [
        assignment.principal.name,
        `${assignment.principal.type}${
          assignment.principal.managed ? '' : ` · ${t('accountCard.unmanaged')}`
        }`,
        assignment.permissionSet.name,
        formatSessionDuration(assignment.permissionSet.sessionDuration),
      ]}
    />
  );
}

/** One row per person and grant on this account, people by display name. */
function PeopleTable(props: {
  data: AccountAccess;
  people: AccountAccess['people'];
}) {
  const { data, people } = props;
  const { t, via } = useFormat();
  const rows = people.flatMap(person =>
    person.grants
      .filter(grant => grant.accountId === data.account.id)
      .map(grant => ({ person, grant })),
  );
  return (
    <LabelledTable
      label={t('accountCard.people')}
      columns={[
        t('platform.person'),
        t('grants.permissionSet'),
        t('grants.via'),
        t('grants.state'),
      ]}
      rows={rows}
      rowKey={({ person, grant }) =>
        `${person.user.entityRef}:${grant.permissionSet.name}`
      }
      rowData={({ person, grant }) => ({
        'data-testid': 'person-row',
        'data-member': person.user.entityRef,
        'data-state': grant.state,
      })}
      cells={({ person, grant }) => [
        person.user.displayName,
        grant.permissionSet.name,
        via(grant.via),
        <GrantStateChip key="state" state={grant.state} />,
      ]}
    />
  );
}

function AccountAccessView(props: { data: AccountAccess }) {
  const { data } = props;
  const { t } = useFormat();
  const people = [...data.people].sort((a, b) =>
    a.user.displayName.localeCompare(b.user.displayName),
  );
  const hidden = data.principalsHidden;

  return (
    <>
      <Typography variant="body2" data-testid="account-summary">
        {data.account.name} · {t('grants.accountId')}: {data.account.id} ·{' '}
        {t('grants.ou')}: {data.account.ouPath} · {t('accountCard.status')}:{' '}
        {data.account.status}
      </Typography>

      <CardSection title={t('accountCard.assignments')}>
        {data.assignments.length > 0 && <AssignmentsTable data={data} />}
        {data.assignments.length === 0 && !hidden && (
          <Typography variant="body2" data-testid="no-assignments">
            {t('accountCard.noAssignments')}
          </Typography>
        )}
        {hidden && <PrincipalsHiddenNote hidden={hidden} scope="account" />}
      </CardSection>

      <CardSection title={t('accountCard.people')}>
        {people.length === 0 ? (
          <Typography variant="body2" data-testid="no-people">
            {t('accountCard.noPeople')}
          </Typography>
        ) : (
          <PeopleTable data={data} people={people} />
        )}
      </CardSection>
    </>
  );
}

/**
 * Who can reach an AWS account, and how, on its `cloud-account` Resource page: the assignments on the account
 * (group or user, permission set, whether Entra manages the principal) and the people with a grant on it, with
 * *Request access* for the groups a policy lets the viewer request on this account. Viewers who are not the
 * account's owners (and may not read all AWS access) see their own rows and how many are hidden.
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
