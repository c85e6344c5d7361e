import type {
  TimelineEvent,
  UserTimeline,
} from '@aws-access/plugin-aws-access-common';
import type { AccessIndex, Person } from '../../snapshot/AccessIndex';
import type { EntraChange } from '../../snapshot/model';

const ENTRA_MESSAGES: Record<EntraChange['kind'], (group?: string) => string> =
  {
    'member-added': group => `Added to ${group ?? 'a group'} in Entra ID`,
    'member-removed': group => `Removed from ${group ?? 'a group'} in Entra ID`,
    'user-created': () => 'Entra ID account created',
    'user-disabled': () => 'Entra ID account disabled',
    'user-enabled': () => 'Entra ID account enabled',
    'user-deleted': () => 'Entra ID account deleted',
    other: () => 'Changed in Entra ID',
  };
const OPENING: Array<EntraChange['kind']> = [
  'member-added',
  'user-created',
  'user-enabled',
];
const CLOSING: Array<EntraChange['kind']> = [
  'member-removed',
  'user-disabled',
  'user-deleted',
];

/**
 * A person's joiner/mover/leaver story: when Entra changed (directory audit log, or our delta reads), when
 * SCIM wrote it to AWS (provisioning log), and when our sync saw AWS change — and how long each change took
 * to reach AWS ("provisioned 38 min after join").
 */
export function userTimeline(index: AccessIndex, person: Person): UserTimeline {
  const entraId = person.entraUser?.id;
  const groupName = (id?: string) =>
    id ? index.entraGroupsById.get(id)?.displayName : undefined;
  const label = (accountId: string, arn: string) =>
    `${index.permissionSetsByArn.get(arn)?.name ?? arn} on ${
      index.accountsById.get(accountId)?.name ?? accountId
    }`;

  // Prefer Entra's audit entries; delta observations fill in when the audit log is not readable.
  const changes = index.snapshot.entra.changes.filter(
    c => c.userId === entraId,
  );
  const audited = changes.filter(c => c.source !== 'delta');
  const entraChanges = (audited.length > 0 ? audited : changes).sort((a, b) =>
    a.at.localeCompare(b.at),
  );

  const events: TimelineEvent[] = entraChanges.map(change => ({
    at: change.at,
    source: 'entra',
    kind: change.kind,
    message: ENTRA_MESSAGES[change.kind](groupName(change.groupId)),
  }));
  for (const entry of index.snapshot.entra.provisioningLog.filter(
    e => e.sourceId === entraId,
  )) {
    events.push({
      at: entry.at,
      source: 'scim',
      kind: `scim-${entry.action}`,
      message: `Provisioning to AWS (${entry.action}): ${entry.status}${
        entry.reason ? ` — ${entry.reason}` : ''
      }`,
    });
  }
  const seen = (index.snapshot.syncEvents ?? []).filter(
    e => e.personKey === person.key,
  );
  for (const event of seen) {
    let message: string;
    if (event.to === 'active')
      message = `Seen in AWS: ${label(
        event.accountId,
        event.permissionSetArn,
      )} is active`;
    else if (event.to === 'none')
      message = `Gone from AWS: ${label(
        event.accountId,
        event.permissionSetArn,
      )}`;
    else if (event.to === 'pending')
      message = `Waiting for provisioning: ${label(
        event.accountId,
        event.permissionSetArn,
      )}`;
    else if (event.to === 'revoking')
      message = `Still active in AWS, being removed: ${label(
        event.accountId,
        event.permissionSetArn,
      )}`;
    else
      message = `Never provisioned (nested group): ${label(
        event.accountId,
        event.permissionSetArn,
      )}`;
    events.push({
      at: event.at,
      source: 'sync',
      kind: `${event.from}->${event.to}`,
      message,
    });
  }
  events.sort(
    (a, b) => a.at.localeCompare(b.at) || a.source.localeCompare(b.source),
  );

  // Delay of each Entra change: until the last grant it opened (or closed) was seen in AWS.
  const delays = new Map<EntraChange, number>();
  for (const event of seen) {
    const opening = event.to === 'active';
    const closing = event.to === 'none' && event.from === 'revoking';
    if (!opening && !closing) continue;
    const cause = [...entraChanges]
      .reverse()
      .find(
        c => c.at <= event.at && (opening ? OPENING : CLOSING).includes(c.kind),
      );
    if (!cause) continue;
    const seconds = (Date.parse(event.at) - Date.parse(cause.at)) / 1000;
    delays.set(cause, Math.max(delays.get(cause) ?? 0, seconds));
  }
  return {
    user: index.accessUser(person),
    events,
    provisioningDelays: [...delays].map(([change, seconds]) => ({
      change: `${ENTRA_MESSAGES[change.kind](groupName(change.groupId))} at ${
        change.at
      }`,
      seconds: Math.round(seconds),
    })),
  };
}
