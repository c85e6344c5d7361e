import { Clock } from '../clock';
import { CloudTrail } from '../events/CloudTrail';
import type { NormalizedScenario } from '../scenario/normalized';
import type { EmulatorSettings } from '../scenario/types';
import { ProvisioningJob } from '../scim/ProvisioningJob';
import { ProvisioningLog } from '../scim/ProvisioningLog';
import { DeltaJournal } from './DeltaJournal';
import { DirectoryAuditLog } from './DirectoryAuditLog';
import { EntraDirectory } from './EntraDirectory';
import { IdentityStore } from './IdentityStore';
import { loadWorld } from './loadWorld';
import { Organization } from './Organization';
import { PimForGroups } from './PimForGroups';
import { SsoAdminState } from './SsoAdminState';

/** The AWS enterprise application in Entra (service principal, SAML certificate). */
export interface AwsApp {
  appId: string;
  servicePrincipalId: string;
  displayName: string;
  samlCertificateExpiresMs: number;
  accessPortalUrl: string;
}

/** Temporary credentials handed out by STS AssumeRole, keyed by access key id. */
export interface StsSession {
  accountId: string;
  roleArn: string;
  roleName: string;
  sessionName: string;
  roleId: string;
  expiresMs: number;
}

/**
 * Both clouds' complete state: the Entra tenant, the AWS app and its provisioning job, the Identity Store,
 * Identity Center's admin side and the organization. One World per loaded scenario; reset builds a new one.
 */
export class World {
  readonly scenario: NormalizedScenario;
  readonly clock: Clock;
  readonly tenantId: string;
  readonly domain: string;
  readonly organizationName: string;
  readonly scimIssuer: string;
  readonly settings: EmulatorSettings;
  readonly entra: EntraDirectory;
  readonly pim: PimForGroups;
  readonly app: AwsApp;
  readonly identityStore: IdentityStore;
  readonly ssoAdmin: SsoAdminState;
  readonly organization: Organization;
  readonly job: ProvisioningJob;
  readonly provisioningLog: ProvisioningLog;
  readonly sessions = new Map<string, StsSession>();
  /** Every write this World performs, as CloudTrail records it. */
  readonly trail = new CloudTrail();

  /** Builds the state a scenario describes (in-sync provisioning, drift, audit history). */
  static load(
    scenario: NormalizedScenario,
    options: { scimIntervalSeconds?: number },
  ): World {
    const world = new World(scenario, options);
    loadWorld(world);
    return world;
  }

  private constructor(
    scenario: NormalizedScenario,
    options: { scimIntervalSeconds?: number },
  ) {
    const { entra, identityCenter: idc } = scenario;
    this.scenario = scenario;
    this.clock = Clock.create({ start: scenario.now });
    this.tenantId = entra.tenantId;
    this.domain = entra.domain;
    this.organizationName = entra.displayName;
    this.scimIssuer = idc.scimIssuer;
    this.settings = { ...scenario.emulator.settings };
    this.entra = EntraDirectory.create({
      journal: DeltaJournal.create(),
      audits: DirectoryAuditLog.create({
        tenantId: entra.tenantId,
        domain: entra.domain,
      }),
    });
    this.pim = PimForGroups.create({ entra: this.entra });
    this.app = {
      appId: entra.awsApp.appId,
      servicePrincipalId: entra.awsApp.servicePrincipalId,
      displayName: entra.awsApp.displayName,
      samlCertificateExpiresMs: Date.parse(entra.awsApp.samlCertificateExpires),
      accessPortalUrl: idc.accessPortalUrl,
    };
    this.identityStore = IdentityStore.create({
      identityStoreId: idc.identityStoreId,
    });
    const nowMs = this.clock.startMs;
    this.ssoAdmin = SsoAdminState.create({
      instanceArn: idc.instanceArn,
      identityStoreId: idc.identityStoreId,
      ownerAccountId: idc.organization.managementAccountId,
      name: 'Production',
      createdMs: nowMs - 400 * 86400_000,
    });
    this.organization = Organization.create({
      id: idc.organization.id,
      managementAccountId: idc.organization.managementAccountId,
      rootId: idc.organization.rootId,
    });
    const provisioning = entra.awsApp.provisioning;
    this.job = ProvisioningJob.create({
      tenantId: entra.tenantId,
      servicePrincipalId: entra.awsApp.servicePrincipalId,
      intervalSeconds:
        options.scimIntervalSeconds ?? provisioning.intervalSeconds,
      status: provisioning.status,
      quarantineReason: provisioning.quarantineReason,
      nowMs,
      lastCycleAgoSeconds: provisioning.lastCycleAgoSeconds,
      lastSuccessAgoSeconds: provisioning.lastSuccessAgoSeconds,
      entryCounts: { users: 0, groups: 0 },
    });
    this.provisioningLog = ProvisioningLog.create({
      tenantId: entra.tenantId,
      jobId: this.job.id,
      servicePrincipal: {
        id: this.app.servicePrincipalId,
        displayName: this.app.displayName,
      },
    });
  }

  /** Lets what was due by now happen: Identity Center operations complete, PIM assignments start and end. */
  settle(): void {
    const nowMs = this.clock.nowMs();
    this.ssoAdmin.settle(nowMs);
    this.pim.settle(nowMs);
  }

  /** Entra users SCIM provisions: direct user members of app-assigned groups, and directly assigned users. */
  scimScopeUserIds(): Set<string> {
    const scope = new Set<string>();
    for (const user of this.entra.liveUsers()) {
      if (user.assignedToAwsApp) scope.add(user.id);
    }
    for (const group of this.entra.groups.values()) {
      if (!group.assignedToAwsApp) continue;
      for (const member of this.entra.members.targets(group.id)) {
        if (this.entra.memberType(member) === 'user') scope.add(member);
      }
    }
    return scope;
  }
}
