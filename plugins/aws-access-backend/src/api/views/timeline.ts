import type {
  TimelineEvent,
  UserTimeline,
} from '@aws-access/plugin-aws-access-common';
import { GrantState } from '@aws-access/plugin-aws-access-common';
import type { AccessIndex, Person } from '../../snapshot/AccessIndex';
import type { BaseState } from '../../snapshot/grantState';
import type { IdentityChange, SyncObservation } from '../../snapshot/model';
import { accountNameOf, permissionSetNameOf } from './common';

const CHANGE_MESSAGES: Record<
  IdentityChange['kind'],
  (group?: string) => string
> = {
  'member-added': group => `Added to ${group ?? 'a group'} in Entra ID`,
  'member-removed': group => `Removed from ${group ?? 'a group'} in Entra ID`,
  'user-created': () => 'Entra ID account created',
  'user-disabled': () => 'Entra ID account disabled',
  'user-enabled': () => 'Entra ID account enabled',
  'user-deleted': () => 'Entra ID account deleted',
  other: () => 'Changed in Entra ID',
};

/** What our sync saw a grant become, by the state it became. */
const SEEN_MESSAGES: Record<BaseState | 'none', (grant: string) => string> = {
  active: grant => `Seen in AWS: ${grant} is active`,
  none: grant => `Gone from AWS: ${grant}`,
  pending: grant => `Waiting for provisioning: ${grant}`,
  revoking: grant => `Still active in AWS, being removed: ${grant}`,
  'unsupported-nesting': grant => `Never provisioned (nested group): ${grant}`,
};

/** Changes that open access, and changes that close it. */
const OPENING: Array<IdentityChange['kind']> = [
  'member-added',
  'user-created',
  'user-enabled',
];
const CLOSING: Array<IdentityChange['kind']> = [
  'member-removed',
  'user-disabled',
  'user-deleted',
];

/** The identity source's changes to the person: its audit entries, or our delta observations when there are none. */
function changesOf(index: AccessIndex, person: Person): IdentityChange[] {
  const userId = person.identityUser?.id;
  const changes = index.snapshot.identity.changes.filter(
    c => c.userId === userId,
  );
  const audited = changes.filter(c => c.source !== 'delta');
  return (audited.length > 0 ? audited : changes).sort((a, b) =>
    a.at.localeCompare(b.at),
  );
}

/** How long each change took to reach AWS: until the last grant it opened (or closed) was seen there. */
function provisioningDelays(
  changes: IdentityChange[],
  seen: SyncObservation[],
): Map<IdentityChange, number> {
  const delays = new Map<IdentityChange, number>();
  for (const event of seen) {
    const opening = event.to === GrantState.active;
    const closing = event.to === 'none' && event.from === GrantState.revoking;
    if (!opening && !closing) continue;
    const cause = [...changes]
      .reverse()
      .find(
        c => c.at <= event.at && (opening ? OPENING : CLOSING).includes(c.kind),
      );
    if (!cause) continue;
    const seconds = (Date.parse(event.at) - Date.parse(cause.at)) / 1000;
    delays.set(cause, Math.max(delays.get(cause) ?? 0, seconds));
  }
  return delays;
}

/**
 * A person's joiner/mover/leaver story: when the identity source changed (its audit log, or our delta reads), when
 * SCIM wrote it to AWS (provisioning log), and when our sync saw AWS change — and how long each change took to
 * reach AWS ("provisioned 38 min after join").
 */
export function userTimeline(index: AccessIndex, person: Person): UserTimeline {
  const groupName = (id?: string) =>
    id ? index.identityGroupsById.get(id)?.displayName : undefined;
  const changeMessage = (change: IdentityChange) =>
    CHANGE_MESSAGES[change.kind](groupName(change.groupId));
  const changes = changesOf(index, person);
  const seen = (index.snapshot.syncEvents ?? []).filter(
    e => e.personKey === person.key,
  );
  const events: TimelineEvent[] = [
    ...changes.map(change => ({
      at: change.at,
      source: 'entra' as const,
      kind: change.kind,
      message: changeMessage(change),
    })),
    ...index.snapshot.identity.provisioningLog
      .filter(e => e.sourceId === person.identityUser?.id)
      .map(entry => ({
        at: entry.at,
        source: 'scim' as const,
        kind: `scim-${entry.action}`,
        message: `Provisioning to AWS (${entry.action}): ${entry.status}${
          entry.reason ? ` — ${entry.reason}` : ''
        }`,
      })),
    ...seen.map(event => ({
      at: event.at,
      source: 'sync' as const,
      kind: `${event.from}->${event.to}`,
      message: SEEN_MESSAGES[event.to](
        `${permissionSetNameOf(
          index,
          event.permissionSetArn,
        )} on ${accountNameOf(index, event.accountId)}`,
      ),
    })),
  ].sort(
    (a, b) => a.at.localeCompare(b.at) || a.source.localeCompare(b.source),
  );
  return {
    user: index.accessUser(person),
    events,
    provisioningDelays: [...provisioningDelays(changes, seen)].map(
      ([change, seconds]) => ({
        change: `${changeMessage(change)} at ${change.at}`,
        seconds: Math.round(seconds),
      }),
    ),
  };
}
