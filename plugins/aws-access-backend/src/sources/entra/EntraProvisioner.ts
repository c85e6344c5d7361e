import type {
  ProvisionOnDemandResult,
  Provisioner,
  SourceContext,
} from '../ports';
import { SourceError } from '../requests/SourceError';
import type { GraphRequests } from './GraphRequests';

/**
 * Entra's provision-on-demand for the AWS app (needs Synchronization.ReadWrite.All): one user (created, updated,
 * or disabled for leavers), or a group with the given members, pushed to AWS now instead of at the next cycle.
 */
export class EntraProvisioner implements Provisioner {
  readonly #graph: GraphRequests;
  readonly #ruleIds = new Map<string, string>();

  static create(options: { graph: GraphRequests }) {
    return new EntraProvisioner(options);
  }

  private constructor(options: { graph: GraphRequests }) {
    this.#graph = options.graph;
  }

  /** The job's user provisioning rule (provisionOnDemand names it); read once per job. */
  async #ruleId(
    servicePrincipalId: string,
    jobId: string,
    ctx: SourceContext,
  ): Promise<string> {
    const key = `${servicePrincipalId}/${jobId}`;
    const cached = this.#ruleIds.get(key);
    if (cached) return cached;
    const schema = await this.#graph.call('synchronization/schema', ctx, () =>
      this.#graph.client
        .api(
          `/servicePrincipals/${servicePrincipalId}/synchronization/jobs/${jobId}/schema`,
        )
        .get(),
    );
    const rule = (schema?.synchronizationRules ?? [])[0];
    if (!rule?.id) {
      throw new SourceError({
        source: 'graph',
        errorClass: 'no-provisioning-rule',
        message: `Provisioning job ${jobId} has no synchronization rule`,
      });
    }
    this.#ruleIds.set(key, rule.id);
    return rule.id;
  }

  /**
   * Asks Entra to provision one subject now: a user (created, updated, or disabled for leavers), or a group with
   * the given members (on-demand provisioning of a user does not carry its group memberships; the group's does).
   */
  async provisionOnDemand(
    options: Parameters<Provisioner['provisionOnDemand']>[0],
    ctx: SourceContext,
  ): Promise<ProvisionOnDemandResult> {
    const ruleId = await this.#ruleId(
      options.servicePrincipalId,
      options.jobId,
      ctx,
    );
    const { objectId, objectTypeName, memberIds } = options.subject;
    const subject = {
      objectId,
      objectTypeName,
      ...(memberIds
        ? {
            links: {
              members: memberIds.map(id => ({
                objectId: id,
                objectTypeName: 'User',
              })),
            },
          }
        : {}),
    };
    const response = await this.#graph.call('provisionOnDemand', ctx, () =>
      this.#graph.client
        .api(
          `/servicePrincipals/${options.servicePrincipalId}/synchronization/jobs/${options.jobId}/provisionOnDemand`,
        )
        .post({ parameters: [{ ruleId, subjects: [subject] }] }),
    );
    return parseProvisionResponse(response);
  }
}

/** Reads Entra's provisionOnDemand answer: a key/value pair whose value is JSON with the steps and status. */
function parseProvisionResponse(response: any): ProvisionOnDemandResult {
  let details: any[];
  try {
    details = JSON.parse(response?.value ?? '[]');
  } catch {
    throw new SourceError({
      source: 'graph',
      errorClass: 'malformed-response',
      message: 'provisionOnDemand returned an unreadable result',
    });
  }
  const detail = Array.isArray(details) ? details[0] : details;
  const status = String(
    detail?.statusInfo?.status ?? detail?.status ?? '',
  ).toLowerCase();
  const steps: any[] = detail?.provisioningSteps ?? [];
  const notable =
    steps.find(s => /skip|fail|warn/i.test(String(s.status))) ??
    steps[steps.length - 1];
  const message = notable?.description ?? status;
  if (status === 'success') return { outcome: 'success', message };
  if (status === 'skipped') return { outcome: 'skipped', message };
  return {
    outcome: 'failure',
    message: message || 'Entra reported a failure without details',
  };
}
