import { guidFrom } from '../ids';
import type { EntraDirectory } from './EntraDirectory';

/** How an assignment ends (Graph `expirationPattern`). */
export interface PimExpiration {
  type: 'afterDuration' | 'afterDateTime' | 'noExpiration';
  duration: string | null;
  endDateTime: string | null;
}

/** An active-membership assignment made through PIM for Groups (`privilegedAccessGroupAssignmentSchedule`). */
export interface PimSchedule {
  id: string;
  groupId: string;
  principalId: string;
  startMs: number;
  /** Absent: no expiration. */
  endMs?: number;
  expiration: PimExpiration;
  createdMs: number;
  /** The request that created it. */
  createdUsing: string;
  /** The membership exists (the start has come and the end has not). */
  active: boolean;
}

/** A `privilegedAccessGroupAssignmentScheduleRequest` as stored. */
export interface PimRequest {
  id: string;
  action: 'adminAssign' | 'adminRemove';
  groupId: string;
  principalId: string;
  justification: string | null;
  customData: string | null;
  ticketInfo: { ticketNumber: string | null; ticketSystem: string | null };
  startMs: number;
  expiration: PimExpiration;
  status: 'Provisioned' | 'Revoked' | 'ScheduleCreated';
  createdMs: number;
  appId: string;
  targetScheduleId: string;
}

/** A refusal in PIM's words (`RoleAssignmentExists`, `RoleAssignmentDoesNotExist`). */
export class PimConflict extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/**
 * PIM for Groups, member assignments only: adminAssign adds a membership for a period, adminRemove ends it, and
 * `settle` starts and ends memberships when the emulator clock reaches their times, exactly as Entra does on its
 * own (through EntraDirectory: delta journal, audit log, SCIM scope). Memberships made outside PIM count as
 * permanent assignments, as PIM shows them.
 */
export class PimForGroups {
  readonly #entra: EntraDirectory;
  readonly requests: PimRequest[] = [];
  /** `${groupId}|${principalId}` → the PIM-made schedule */
  readonly #schedules = new Map<string, PimSchedule>();

  static create(options: { entra: EntraDirectory }): PimForGroups {
    return new PimForGroups(options);
  }

  private constructor(options: { entra: EntraDirectory }) {
    this.#entra = options.entra;
  }

  /** Makes an assignment; starts it now when its start has come. */
  assign(
    request: Omit<PimRequest, 'status' | 'targetScheduleId' | 'action'>,
    nowMs: number,
  ): PimRequest {
    const key = `${request.groupId}|${request.principalId}`;
    if (
      this.#schedules.has(key) ||
      this.#entra.members.has(request.groupId, request.principalId)
    )
      throw new PimConflict(
        'RoleAssignmentExists',
        'The Role assignment already exists.',
      );
    const schedule: PimSchedule = {
      id: `${request.groupId}_member_${request.id}`,
      groupId: request.groupId,
      principalId: request.principalId,
      startMs: request.startMs,
      ...(endOf(request.startMs, request.expiration) !== undefined && {
        endMs: endOf(request.startMs, request.expiration),
      }),
      expiration: request.expiration,
      createdMs: nowMs,
      createdUsing: request.id,
      active: false,
    };
    if (schedule.endMs !== undefined && schedule.endMs <= nowMs)
      throw new PimConflict(
        'InvalidRoleAssignmentRequest',
        'The role assignment request is invalid.',
      );
    this.#schedules.set(key, schedule);
    const stored: PimRequest = {
      ...request,
      action: 'adminAssign',
      // A later start: the schedule exists, the membership waits for it (request status ScheduleCreated).
      status: schedule.startMs <= nowMs ? 'Provisioned' : 'ScheduleCreated',
      targetScheduleId: schedule.id,
    };
    this.requests.push(stored);
    this.settle(nowMs);
    return stored;
  }

  /** Ends an assignment (PIM-made, pending, or a membership made outside PIM). */
  remove(
    request: Omit<PimRequest, 'status' | 'targetScheduleId' | 'action'>,
    nowMs: number,
  ): PimRequest {
    const key = `${request.groupId}|${request.principalId}`;
    const schedule = this.#schedules.get(key);
    const member = this.#entra.members.has(
      request.groupId,
      request.principalId,
    );
    if (!schedule && !member)
      throw new PimConflict(
        'RoleAssignmentDoesNotExist',
        'The Role assignment does not exist.',
      );
    this.#schedules.delete(key);
    if (member) this.#end(request.groupId, request.principalId, nowMs);
    const stored: PimRequest = {
      ...request,
      action: 'adminRemove',
      status: 'Revoked',
      targetScheduleId:
        schedule?.id ??
        permanentScheduleId(request.groupId, request.principalId),
    };
    this.requests.push(stored);
    return stored;
  }

  /** Starts and ends memberships whose time has come, at their own times (oldest first). */
  settle(nowMs: number): void {
    const due = [...this.#schedules.entries()]
      .flatMap(([key, s]) => {
        if (!s.active && s.startMs <= nowMs && (s.endMs ?? Infinity) > nowMs)
          return [{ key, s, atMs: s.startMs, start: true }];
        if (s.endMs !== undefined && s.endMs <= nowMs)
          return [{ key, s, atMs: s.endMs, start: false }];
        return [];
      })
      .sort((a, b) => a.atMs - b.atMs);
    for (const { key, s, atMs, start } of due) {
      if (start) {
        s.active = true;
        this.#entra.addMember(s.groupId, s.principalId, {
          timeMs: atMs,
          audit: true,
        });
        continue;
      }
      this.#schedules.delete(key);
      if (s.active) this.#end(s.groupId, s.principalId, atMs);
    }
  }

  /** The assignments PIM made that have not ended. */
  assignments(): PimSchedule[] {
    return [...this.#schedules.values()];
  }

  /**
   * Current assignments: PIM-made ones (pending or active) and every direct user membership made outside PIM,
   * which PIM lists as permanent.
   */
  schedules(): PimSchedule[] {
    const out = this.assignments();
    for (const group of this.#entra.groups.values()) {
      for (const member of this.#entra.directMembers(group.id)) {
        if (member.type !== 'user') continue;
        if (this.#schedules.has(`${group.id}|${member.id}`)) continue;
        out.push({
          id: permanentScheduleId(group.id, member.id),
          groupId: group.id,
          principalId: member.id,
          startMs: group.createdMs,
          expiration: {
            type: 'noExpiration',
            duration: null,
            endDateTime: null,
          },
          createdMs: group.createdMs,
          createdUsing: '',
          active: true,
        });
      }
    }
    return out;
  }

  #end(groupId: string, principalId: string, atMs: number) {
    this.#entra.removeMember(groupId, principalId, {
      timeMs: atMs,
      audit: true,
    });
  }
}

function permanentScheduleId(groupId: string, principalId: string): string {
  return `${groupId}_member_${guidFrom(groupId, 'member', principalId)}`;
}

function endOf(startMs: number, expiration: PimExpiration): number | undefined {
  if (expiration.type === 'afterDateTime')
    return Date.parse(expiration.endDateTime!);
  if (expiration.type === 'afterDuration')
    return startMs + durationMs(expiration.duration!)!;
  return undefined;
}

/** ISO 8601 durations PIM accepts (days and time: `P1D`, `PT1H`, `PT90M`, `PT30S`); undefined when not one. */
export function durationMs(text: string): number | undefined {
  const m =
    /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(
      text,
    );
  if (!m || text === 'P' || text.endsWith('T')) return undefined;
  const [, d, h, min, s] = m.map(v => Number(v ?? 0));
  const ms = (((d * 24 + h) * 60 + min) * 60 + s) * 1000;
  return ms > 0 ? ms : undefined;
}
