import type {
  IdentityChange,
  ProvisioningJob,
  ProvisioningLogEntry,
} from '../../snapshot/model';

/*
 * Graph's answers turned into the snapshot's records: the provisioning job, provisioning log entries, directory
 * audit entries and the SAML signing certificate's expiry.
 */

function parseIsoDuration(value: string | undefined): number | undefined {
  const match =
    /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(
      value ?? '',
    );
  if (!match) return undefined;
  const [, d, h, m, s] = match.map(Number);
  const seconds = (d || 0) * 86400 + (h || 0) * 3600 + (m || 0) * 60 + (s || 0);
  // "Never" is encoded as TimeSpan.MaxValue (P10675199D…).
  return seconds > 0 && seconds < 365 * 86400 ? seconds : undefined;
}

/** The AWS app's synchronization job (the first one), or NotConfigured when it has none. */
export function toProvisioningJob(job: any): ProvisioningJob {
  if (!job) return { status: 'NotConfigured' };
  const status = job.status ?? {};
  return {
    id: job.id,
    status: status.code ?? 'Unknown',
    intervalSeconds: parseIsoDuration(job.schedule?.interval),
    lastCycleStartedAt: status.lastExecution?.timeBegan ?? undefined,
    lastCycleEndedAt: status.lastExecution?.timeEnded ?? undefined,
    lastSuccessAt: status.lastSuccessfulExecution?.timeEnded ?? undefined,
    quarantineReason: status.quarantine?.reason ?? undefined,
    lastError:
      status.lastExecution?.error?.message ??
      status.quarantine?.error?.message ??
      undefined,
  };
}

export function toProvisioningLogEntry(entry: any): ProvisioningLogEntry {
  return {
    id: entry.id,
    at: entry.activityDateTime,
    action: entry.provisioningAction ?? 'other',
    status: entry.provisioningStatusInfo?.status ?? 'unknown',
    sourceId: entry.sourceIdentity?.id,
    sourceName: entry.sourceIdentity?.displayName,
    targetId: entry.targetIdentity?.id,
    reason: entry.provisioningStatusInfo?.errorInformation?.reason ?? undefined,
  };
}

/** The signing certificate's expiry: Graph's preferredTokenSigningKeyEndDateTime, else the matching key credential. */
export function samlCertificateExpiry(sp: any): string | undefined {
  if (sp.preferredTokenSigningKeyEndDateTime)
    return sp.preferredTokenSigningKeyEndDateTime;
  const keys: any[] = sp.keyCredentials ?? [];
  const thumbprint: string | undefined = sp.preferredTokenSigningKeyThumbprint;
  const matching = keys.filter(
    k => !thumbprint || k.customKeyIdentifier === thumbprint,
  );
  return (matching.length > 0 ? matching : keys)
    .map(k => k.endDateTime)
    .filter(Boolean)
    .sort()
    .pop();
}

/** Audit activities that change group membership or the user itself, by the change kind they are. */
const ACTIVITY_KINDS = new Map<string, IdentityChange['kind']>([
  ['Add member to group', 'member-added'],
  ['Remove member from group', 'member-removed'],
  ['Add user', 'user-created'],
  ['Delete user', 'user-deleted'],
  ['Disable account', 'user-disabled'],
  ['Enable account', 'user-enabled'],
]);

/** Maps a directory audit entry to the change kinds the state model uses. */
export function toChange(entry: any): IdentityChange | undefined {
  const targets: any[] = entry.targetResources ?? [];
  const user = targets.find(t => t.type === 'User');
  const group = targets.find(t => t.type === 'Group');
  if (!user) return undefined;
  const base = {
    id: entry.id as string,
    at: entry.activityDateTime as string,
    source: 'audit' as const,
  };
  const kind = ACTIVITY_KINDS.get(entry.activityDisplayName);
  if (kind === 'member-added' || kind === 'member-removed') {
    return group
      ? { ...base, kind, userId: user.id, groupId: group.id }
      : undefined;
  }
  if (kind) return { ...base, kind, userId: user.id };
  if (entry.activityDisplayName !== 'Update user') return undefined;
  const enabled = (user.modifiedProperties ?? []).find(
    (p: any) => p.displayName === 'AccountEnabled',
  );
  if (!enabled) return undefined;
  return {
    ...base,
    kind: /false/i.test(enabled.newValue ?? '')
      ? 'user-disabled'
      : 'user-enabled',
    userId: user.id,
  };
}
