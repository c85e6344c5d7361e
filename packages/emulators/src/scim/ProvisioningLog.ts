import { guidFrom } from '../ids';

export type ProvisioningAction =
  | 'create'
  | 'update'
  | 'disable'
  | 'delete'
  | 'other';

/** Graph `provisioningObjectSummary`: one entry per object a cycle (or provision-on-demand) changed. */
export interface ProvisioningObjectSummary {
  id: string;
  activityDateTime: string;
  tenantId: string;
  jobId: string;
  cycleId: string;
  changeId: string;
  provisioningAction: ProvisioningAction;
  durationInMilliseconds: number;
  provisioningStatusInfo: {
    status: 'success' | 'failure' | 'skipped';
    errorInformation: null | {
      errorCode: string;
      reason: string;
      additionalDetails: string;
      errorCategory: string;
      recommendedAction: string;
    };
  };
  provisioningSteps: {
    name: string;
    provisioningStepType:
      | 'import'
      | 'scoping'
      | 'matchingRule'
      | 'processing'
      | 'export';
    status: 'success' | 'failure' | 'skipped';
    description: string;
    details: Record<string, string>;
  }[];
  modifiedProperties: {
    displayName: string;
    oldValue: string | null;
    newValue: string | null;
  }[];
  servicePrincipal: { id: string; displayName: string };
  sourceSystem: {
    id: string;
    displayName: string;
    details: Record<string, string>;
  };
  targetSystem: {
    id: string;
    displayName: string;
    details: Record<string, string>;
  };
  initiatedBy: {
    id: string;
    displayName: string;
    initiatorType: 'system' | 'user';
  };
  sourceIdentity: Identity;
  targetIdentity: Identity;
}

interface Identity {
  id: string;
  displayName: string;
  identityType: 'User' | 'Group';
  details: Record<string, string>;
}

export interface ProvisioningEvent {
  cycleId: string;
  action: ProvisioningAction;
  timeMs: number;
  objectType: 'User' | 'Group';
  source: { id: string; displayName: string };
  target: { id: string; displayName: string };
  modifiedProperties: ProvisioningObjectSummary['modifiedProperties'];
  description: string;
  onDemand: boolean;
  failure?: { code: string; reason: string };
}

interface LogContext {
  tenantId: string;
  jobId: string;
  servicePrincipal: { id: string; displayName: string };
}

/** The provisioning log of the AWS app's job (`/auditLogs/provisioning`). */
export class ProvisioningLog {
  readonly #entries: ProvisioningObjectSummary[] = [];
  readonly #context: LogContext;
  #sorted: ProvisioningObjectSummary[] | undefined;

  static create(options: LogContext): ProvisioningLog {
    return new ProvisioningLog(options);
  }

  private constructor(context: LogContext) {
    this.#context = context;
  }

  add(event: ProvisioningEvent): ProvisioningObjectSummary {
    const n = this.#entries.length;
    const failed = event.failure !== undefined;
    const entry: ProvisioningObjectSummary = {
      id: guidFrom(
        this.#context.jobId,
        'provisioning',
        String(n),
        String(event.timeMs),
      ),
      activityDateTime: new Date(event.timeMs).toISOString(),
      tenantId: this.#context.tenantId,
      jobId: this.#context.jobId,
      cycleId: event.cycleId,
      changeId: guidFrom(event.cycleId, 'change', String(n)),
      provisioningAction: event.action,
      durationInMilliseconds: 120,
      provisioningStatusInfo: {
        status: failed ? 'failure' : 'success',
        errorInformation: failed
          ? {
              errorCode: event.failure!.code,
              reason: event.failure!.reason,
              additionalDetails: '',
              errorCategory: 'NonServiceFailure',
              recommendedAction:
                'Resolve the issue with the SCIM credentials and retry.',
            }
          : null,
      },
      provisioningSteps: [
        {
          name: 'EntryImport',
          provisioningStepType: 'import',
          status: 'success',
          description: `Retrieved ${event.source.displayName} from Microsoft Entra ID`,
          details: {},
        },
        {
          name: 'EntrySynchronizationScoping',
          provisioningStepType: 'scoping',
          status: 'success',
          description: `Determined that ${event.source.displayName} is in scope`,
          details: {},
        },
        {
          name:
            event.action === 'create' ? 'EntryExportAdd' : 'EntryExportUpdate',
          provisioningStepType: 'export',
          status: failed ? 'failure' : 'success',
          description: event.description,
          details: {},
        },
      ],
      modifiedProperties: event.modifiedProperties,
      servicePrincipal: this.#context.servicePrincipal,
      sourceSystem: {
        id: guidFrom('source-system'),
        displayName: 'Azure Active Directory',
        details: {},
      },
      targetSystem: {
        id: guidFrom('target-system'),
        displayName: 'AWS IAM Identity Center',
        details: { ApplicationId: this.#context.servicePrincipal.id },
      },
      initiatedBy: event.onDemand
        ? {
            id: guidFrom(this.#context.tenantId, 'admin'),
            displayName: 'admin',
            initiatorType: 'user',
          }
        : {
            id: '',
            displayName: 'Azure AD Provisioning Service',
            initiatorType: 'system',
          },
      sourceIdentity: {
        id: event.source.id,
        displayName: event.source.displayName,
        identityType: event.objectType,
        details: {},
      },
      targetIdentity: {
        id: event.target.id,
        displayName: event.target.displayName,
        identityType: event.objectType,
        details: {},
      },
    };
    this.#entries.push(entry);
    this.#sorted = undefined;
    return entry;
  }

  /** Newest first. */
  list(): readonly ProvisioningObjectSummary[] {
    if (!this.#sorted) {
      this.#sorted = [...this.#entries].reverse();
    }
    return this.#sorted;
  }
}
