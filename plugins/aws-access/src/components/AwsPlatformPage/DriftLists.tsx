import { InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type {
  AccessUser,
  DriftEntry,
  DriftReport,
} from '@aws-access/plugin-aws-access-common';
import { formatDateTime } from '../../lib/time';
import { useFormat } from '../shared';

function EmptyList() {
  const { t } = useFormat();
  return (
    <Typography variant="body2" color="textSecondary">
      {t('platform.listEmpty')}
    </Typography>
  );
}

function DriftTable(props: {
  entries: DriftEntry[];
  testId: string;
  title: string;
}) {
  const { entries, testId, title } = props;
  const { t } = useFormat();
  return (
    <Box mt={2} data-testid={testId}>
      <Typography variant="subtitle1">
        {title} ({entries.length})
      </Typography>
      {entries.length === 0 ? (
        <EmptyList />
      ) : (
        <Table size="small" aria-label={title}>
          <TableHead>
            <TableRow>
              <TableCell>{t('platform.person')}</TableCell>
              <TableCell>{t('platform.account')}</TableCell>
              <TableCell>{t('platform.permissionSet')}</TableCell>
              <TableCell>{t('platform.via')}</TableCell>
              <TableCell>{t('platform.since')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {entries.map(entry => (
              <TableRow
                key={`${entry.user.entityRef}:${entry.accountId}:${entry.permissionSet}`}
                data-testid="drift-entry"
                data-member={entry.user.entityRef}
                data-state={entry.state}
              >
                <TableCell>{entry.user.displayName}</TableCell>
                <TableCell>
                  {entry.accountName} ({entry.accountId})
                </TableCell>
                <TableCell>{entry.permissionSet}</TableCell>
                <TableCell>{entry.via.join(', ')}</TableCell>
                <TableCell>
                  {entry.since ? formatDateTime(entry.since) : ''}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Box>
  );
}

/** Revoking entries grouped by person: leavers and movers still active in AWS. */
function revokingPeople(
  entries: DriftEntry[],
): Array<{ user: AccessUser; entries: DriftEntry[] }> {
  const byUser = new Map<string, { user: AccessUser; entries: DriftEntry[] }>();
  for (const entry of entries) {
    const person = byUser.get(entry.user.entityRef) ?? {
      user: entry.user,
      entries: [],
    };
    person.entries.push(entry);
    byUser.set(entry.user.entityRef, person);
  }
  return [...byUser.values()].sort((a, b) =>
    a.user.displayName.localeCompare(b.user.displayName),
  );
}

/** A person being removed: every grant going, since when, and "Deprovision now" for those allowed. */
function RevokingRow(props: {
  person: { user: AccessUser; entries: DriftEntry[] };
  canDeprovision: boolean;
  onDeprovision: (userEntityRef: string) => void;
  deprovisioning: boolean;
}) {
  const { person, canDeprovision, onDeprovision, deprovisioning } = props;
  const { t } = useFormat();
  return (
    <TableRow data-testid="revoking-person" data-member={person.user.entityRef}>
      <TableCell>{person.user.displayName}</TableCell>
      <TableCell>
        {person.entries.map(entry => (
          <Typography
            key={`${entry.accountId}:${entry.permissionSet}`}
            variant="body2"
          >
            {entry.accountName} ({entry.accountId}) · {entry.permissionSet} ·{' '}
            {entry.via.join(', ')}
          </Typography>
        ))}
      </TableCell>
      <TableCell>
        {person.entries
          .map(entry => entry.since)
          .filter((since): since is string => Boolean(since))
          .sort()
          .slice(0, 1)
          .map(formatDateTime)}
      </TableCell>
      <TableCell align="right">
        {canDeprovision && (
          <Button
            variant="outlined"
            color="secondary"
            size="small"
            disabled={deprovisioning}
            onClick={() => onDeprovision(person.user.entityRef)}
            aria-label={t('platform.deprovisionAria', {
              name: person.user.displayName,
            })}
            data-testid="deprovision-now"
          >
            {t('platform.deprovision')}
          </Button>
        )}
      </TableCell>
    </TableRow>
  );
}

function RevokingList(props: {
  entries: DriftEntry[];
  canDeprovision: boolean;
  onDeprovision: (userEntityRef: string) => void;
  deprovisioning: boolean;
}) {
  const { entries, canDeprovision, onDeprovision, deprovisioning } = props;
  const { t } = useFormat();
  const people = revokingPeople(entries);
  return (
    <Box mt={2} data-testid="revoking-list">
      <Typography variant="subtitle1">
        {t('platform.revoking')} ({people.length})
      </Typography>
      {people.length === 0 ? (
        <EmptyList />
      ) : (
        <Table size="small" aria-label={t('platform.revoking')}>
          <TableHead>
            <TableRow>
              <TableCell>{t('platform.person')}</TableCell>
              <TableCell>{t('platform.account')}</TableCell>
              <TableCell>{t('platform.since')}</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {people.map(person => (
              <RevokingRow
                key={person.user.entityRef}
                person={person}
                canDeprovision={canDeprovision}
                onDeprovision={onDeprovision}
                deprovisioning={deprovisioning}
              />
            ))}
          </TableBody>
        </Table>
      )}
    </Box>
  );
}

/**
 * Everything that drifted between Entra and AWS: pending too long (stuck), revoking (with "Deprovision now" for
 * those allowed), pending, nested memberships and unmanaged Identity Center principals. Without an identity
 * source there is nothing to drift from: the card says so instead of showing empty lists.
 */
export function DriftLists(props: {
  drift: DriftReport;
  canDeprovision: boolean;
  onDeprovision: (userEntityRef: string) => void;
  deprovisioning: boolean;
}) {
  const { drift, canDeprovision, onDeprovision, deprovisioning } = props;
  const { t } = useFormat();
  if (drift.sync.identitySource === 'none') {
    return (
      <InfoCard title={t('platform.driftTitle')}>
        <Typography variant="body2" data-testid="drift-needs-identity-source">
          {t('platform.driftNeedsIdentitySource')}
        </Typography>
      </InfoCard>
    );
  }
  return (
    <InfoCard title={t('platform.driftTitle')}>
      <div data-testid="drift">
        <DriftTable
          entries={drift.stuck}
          testId="stuck-list"
          title={t('platform.stuck')}
        />
        <RevokingList
          entries={drift.revoking}
          canDeprovision={canDeprovision}
          onDeprovision={onDeprovision}
          deprovisioning={deprovisioning}
        />
        <DriftTable
          entries={drift.pending}
          testId="pending-list"
          title={t('platform.pending')}
        />
        <DriftTable
          entries={drift.nested}
          testId="nested-list"
          title={t('platform.nested')}
        />
        <Box mt={2} data-testid="unmanaged-list">
          <Typography variant="subtitle1">
            {t('platform.unmanaged')} ({drift.unmanaged.length})
          </Typography>
          {drift.unmanaged.length === 0 ? (
            <EmptyList />
          ) : (
            drift.unmanaged.map(principal => (
              <Typography
                key={`${principal.type}:${principal.id}`}
                variant="body2"
                data-testid="unmanaged-principal"
              >
                {principal.type} {principal.name}:{' '}
                {principal.assignments.join(', ')}
              </Typography>
            ))
          )}
        </Box>
      </div>
    </InfoCard>
  );
}
