import { guidFrom } from '../ids';
import type { ProvisioningStatusCode } from '../scenario/types';

/** Graph `synchronizationTaskExecution`. */
export interface TaskExecution {
  activityIdentifier: string;
  countEntitled: number;
  countEntitledForProvisioning: number;
  countEscrowed: number;
  countEscrowedRaw: number;
  countExported: number;
  countExports: number;
  countImported: number;
  countImportedDeltas: number;
  countImportedReferenceDeltas: number;
  error: { code: string; message: string; tenantActionable: boolean } | null;
  state: 'Succeeded' | 'Failed' | 'EntryLevelErrors';
  timeBegan: string;
  timeEnded: string;
}

const NEVER = '0001-01-01T00:00:00Z';
const SCHEDULE_STATE: Record<ProvisioningStatusCode, string> = {
  Active: 'Active',
  Quarantine: 'Active',
  Paused: 'Paused',
  NotRun: 'Disabled',
};
const QUARANTINE_ERROR = {
  code: 'SystemForCrossDomainIdentityManagementCredentialsInvalid',
  message:
    'The SCIM endpoint rejected the credentials (HTTP 401). Generate a new access token in IAM Identity Center and update the secret token of the provisioning configuration.',
  tenantActionable: true,
};

/** ISO 8601 duration as Graph writes schedule intervals (2400 s → PT40M). */
export function isoDuration(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const time = `${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s ? `${s}S` : ''}`;
  if (!d && !time) return 'PT0S';
  return `P${d ? `${d}D` : ''}${time ? `T${time}` : ''}`;
}

/**
 * The Entra provisioning job of the AWS enterprise app (Graph `synchronizationJob`): schedule, status code,
 * quarantine and the last executions, updated by every SCIM cycle.
 */
export class ProvisioningJob {
  readonly id: string;
  readonly templateId = 'awsSingleSignOn';
  intervalSeconds: number;
  status: ProvisioningStatusCode;
  quarantineReason: string | null;
  lastExecution: TaskExecution | null = null;
  lastSuccessfulExecution: TaskExecution | null = null;
  lastSuccessfulExecutionWithExports: TaskExecution | null = null;
  countSuccessiveCompleteFailures = 0;
  quarantineBeganMs: number | null = null;
  quarantineSeriesCount = 0;
  steadyStateFirstAchievedMs: number | null = null;
  steadyStateLastAchievedMs: number | null = null;
  entryCounts = { users: 0, groups: 0 };
  /** When the scheduler runs the next cycle (emulator clock ms). */
  nextCycleMs: number;
  #cycles = 0;

  static create(options: {
    tenantId: string;
    servicePrincipalId: string;
    intervalSeconds: number;
    status: ProvisioningStatusCode;
    quarantineReason: string | null;
    nowMs: number;
    lastCycleAgoSeconds: number | null;
    lastSuccessAgoSeconds: number | null;
    entryCounts: { users: number; groups: number };
  }): ProvisioningJob {
    return new ProvisioningJob(options);
  }

  private constructor(options: Parameters<typeof ProvisioningJob.create>[0]) {
    this.id = `${this.templateId}.${options.tenantId.replace(
      /-/g,
      '',
    )}.${guidFrom(options.servicePrincipalId, 'job').replace(/-/g, '')}`;
    this.intervalSeconds = options.intervalSeconds;
    this.status = options.status;
    this.quarantineReason = options.quarantineReason;
    this.entryCounts = options.entryCounts;
    const { nowMs } = options;
    if (options.lastSuccessAgoSeconds !== null) {
      const ended = nowMs - options.lastSuccessAgoSeconds * 1000;
      this.lastSuccessfulExecution = this.#execution({
        endedMs: ended,
        exported: 0,
        imported: options.entryCounts.users + options.entryCounts.groups,
      });
      this.steadyStateFirstAchievedMs = ended - 30 * 24 * 3600_000;
      this.steadyStateLastAchievedMs = ended;
    }
    if (options.lastCycleAgoSeconds !== null) {
      const ended = nowMs - options.lastCycleAgoSeconds * 1000;
      this.lastExecution =
        options.status === 'Quarantine'
          ? this.#execution({
              endedMs: ended,
              exported: 0,
              imported: 0,
              error: QUARANTINE_ERROR,
            })
          : this.lastSuccessfulExecution;
    }
    if (options.status === 'Quarantine') {
      this.countSuccessiveCompleteFailures = 1;
      this.quarantineSeriesCount = 1;
      this.quarantineBeganMs =
        nowMs - (options.lastCycleAgoSeconds ?? 0) * 1000;
    }
    // A cycle that should already have happened (the demo's short interval) runs one interval after start, so
    // the loaded drift stays visible for a while.
    const dueMs =
      nowMs -
      (options.lastCycleAgoSeconds ?? 0) * 1000 +
      this.intervalSeconds * 1000;
    this.nextCycleMs =
      dueMs > nowMs ? dueMs : nowMs + this.intervalSeconds * 1000;
  }

  get quarantined(): boolean {
    return this.status === 'Quarantine';
  }

  nextCycleId(): string {
    return guidFrom(this.id, 'cycle', String(++this.#cycles));
  }

  recordSuccess(options: {
    beganMs: number;
    endedMs: number;
    exported: number;
    entitled: number;
  }): void {
    const execution = this.#execution({
      beganMs: options.beganMs,
      endedMs: options.endedMs,
      exported: options.exported,
      imported: options.entitled,
    });
    this.lastExecution = execution;
    this.lastSuccessfulExecution = execution;
    if (options.exported > 0)
      this.lastSuccessfulExecutionWithExports = execution;
    this.countSuccessiveCompleteFailures = 0;
    this.steadyStateFirstAchievedMs ??= options.endedMs;
    this.steadyStateLastAchievedMs = options.endedMs;
    if (this.status === 'NotRun') this.status = 'Active';
    this.nextCycleMs = options.endedMs + this.intervalSeconds * 1000;
  }

  recordQuarantinedAttempt(options: {
    beganMs: number;
    endedMs: number;
  }): void {
    this.lastExecution = this.#execution({
      beganMs: options.beganMs,
      endedMs: options.endedMs,
      exported: 0,
      imported: 0,
      error: QUARANTINE_ERROR,
    });
    this.countSuccessiveCompleteFailures++;
    this.quarantineSeriesCount++;
    this.nextCycleMs = options.endedMs + this.intervalSeconds * 1000;
  }

  /** Control API: interval, status, quarantine. */
  configure(options: {
    intervalSeconds?: number;
    status?: ProvisioningStatusCode;
    quarantineReason?: string | null;
    nowMs: number;
  }): void {
    if (options.intervalSeconds !== undefined) {
      this.intervalSeconds = options.intervalSeconds;
      this.nextCycleMs = options.nowMs + options.intervalSeconds * 1000;
    }
    if (options.status !== undefined && options.status !== this.status) {
      if (options.status === 'Quarantine') {
        this.quarantineBeganMs = options.nowMs;
        this.quarantineSeriesCount = 1;
        this.countSuccessiveCompleteFailures = Math.max(
          1,
          this.countSuccessiveCompleteFailures,
        );
      } else {
        this.quarantineBeganMs = null;
        this.quarantineSeriesCount = 0;
        this.countSuccessiveCompleteFailures = 0;
      }
      this.status = options.status;
    }
    if (options.quarantineReason !== undefined)
      this.quarantineReason = options.quarantineReason;
    if (this.status === 'Quarantine')
      this.quarantineReason ??= 'EncounteredQuarantineException';
    else if (options.quarantineReason === undefined)
      this.quarantineReason = null;
  }

  toGraph(): Record<string, unknown> {
    const iso = (ms: number | null) =>
      ms === null ? NEVER : new Date(ms).toISOString();
    const never = this.lastExecution === null && this.status === 'NotRun';
    return {
      id: this.id,
      templateId: this.templateId,
      schedule: {
        expiration: null,
        interval: never
          ? 'P10675199DT2H48M5.4775807S'
          : isoDuration(this.intervalSeconds),
        state: SCHEDULE_STATE[this.status],
      },
      status: {
        code: this.status,
        countSuccessiveCompleteFailures: this.countSuccessiveCompleteFailures,
        escrowsPruned: false,
        lastExecution: this.lastExecution,
        lastSuccessfulExecution: this.lastSuccessfulExecution,
        lastSuccessfulExecutionWithExports:
          this.lastSuccessfulExecutionWithExports,
        progress: [],
        quarantine:
          this.status === 'Quarantine'
            ? {
                currentBegan: iso(this.quarantineBeganMs),
                nextAttempt: new Date(this.nextCycleMs).toISOString(),
                reason:
                  this.quarantineReason ?? 'EncounteredQuarantineException',
                seriesBegan: iso(this.quarantineBeganMs),
                seriesCount: this.quarantineSeriesCount,
                error: QUARANTINE_ERROR,
              }
            : null,
        steadyStateFirstAchievedTime: iso(this.steadyStateFirstAchievedMs),
        steadyStateLastAchievedTime: iso(this.steadyStateLastAchievedMs),
        synchronizedEntryCountByType: [
          { key: 'user to User', value: this.entryCounts.users },
          { key: 'group to Group', value: this.entryCounts.groups },
        ],
        troubleshootingUrl: null,
      },
      synchronizationJobSettings: [
        { name: 'QuarantineTooManyDeletesThreshold', value: '500' },
        { name: 'SyncAll', value: 'false' },
      ],
    };
  }

  #execution(options: {
    beganMs?: number;
    endedMs: number;
    exported: number;
    imported: number;
    error?: TaskExecution['error'];
  }): TaskExecution {
    const beganMs = options.beganMs ?? options.endedMs - 30_000;
    return {
      activityIdentifier: guidFrom(
        this.id,
        'activity',
        String(options.endedMs),
      ),
      countEntitled: options.imported,
      countEntitledForProvisioning: options.imported,
      countEscrowed: options.error ? 1 : 0,
      countEscrowedRaw: options.error ? 1 : 0,
      countExported: options.exported,
      countExports: options.exported,
      countImported: options.imported,
      countImportedDeltas: options.exported,
      countImportedReferenceDeltas: 0,
      error: options.error ?? null,
      state: options.error ? 'Failed' : 'Succeeded',
      timeBegan: new Date(beganMs).toISOString(),
      timeEnded: new Date(options.endedMs).toISOString(),
    };
  }
}
