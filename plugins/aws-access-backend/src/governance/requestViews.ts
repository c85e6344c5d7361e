import type {
  AccessRequest,
  RequestHistoryEntry,
  RequestableGrant,
} from '@aws-access/plugin-aws-access-common';
import { csvCell } from '../api/views/csv';
import type { StoredRequest } from './RequestStore';

/** A stored request as the API serves it, with what the group gives and what the caller may do. */
export function toAccessRequest(
  stored: StoredRequest,
  grants: RequestableGrant[],
  actions: AccessRequest['actions'],
  history?: RequestHistoryEntry[],
): AccessRequest {
  return {
    id: stored.id,
    requester: stored.requester,
    requesterName: stored.requesterName,
    group: { entityRef: stored.group.entityRef, name: stored.group.name },
    justification: stored.justification,
    ticket: stored.ticket,
    duration: stored.duration,
    state: stored.state,
    mode: stored.mode,
    createdAt: stored.createdAt,
    decidedAt: stored.decidedAt,
    approvals: stored.approvals.map(({ by, byName, at, note }) => ({
      by,
      byName,
      at,
      note,
    })),
    approvalsRequired: stored.approvalsRequired,
    grantedAt: stored.grantedAt,
    expiresAt: stored.expiresAt,
    endedAt: stored.endedAt,
    error: stored.error,
    grants,
    actions,
    ...(history ? { history } : {}),
  };
}

const EXPORT_COLUMNS: Array<[string, (r: AccessRequest) => unknown]> = [
  ['id', r => r.id],
  ['created_at', r => r.createdAt],
  ['requester', r => r.requester],
  ['requester_name', r => r.requesterName],
  ['group', r => r.group.entityRef],
  ['group_name', r => r.group.name],
  ['mode', r => r.mode],
  ['state', r => r.state],
  ['duration', r => r.duration],
  ['justification', r => r.justification],
  ['ticket', r => r.ticket],
  ['approvals', r => r.approvals.map(a => `${a.by} ${a.at}`).join('; ')],
  ['decided_at', r => r.decidedAt],
  ['granted_at', r => r.grantedAt],
  ['expires_at', r => r.expiresAt],
  ['ended_at', r => r.endedAt],
  ['error', r => r.error],
  [
    'history',
    r =>
      (r.history ?? [])
        .map(h => `${h.at} ${h.by} ${h.from ?? '-'}>${h.to}`)
        .join('; '),
  ],
];

/** Requests as CSV for auditors (RFC 4180, CRLF, every cell formula-safe). */
export function requestsToCsv(requests: AccessRequest[]): string {
  const lines = [EXPORT_COLUMNS.map(([header]) => header).join(',')];
  for (const request of requests) {
    lines.push(
      EXPORT_COLUMNS.map(([, cell]) =>
        csvCell(String(cell(request) ?? '')),
      ).join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
