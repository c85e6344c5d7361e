import type { MembershipRef, MembershipWriter, SourceContext } from '../ports';
import { SourceError } from '../requests/SourceError';
import type { GraphRequests } from './GraphRequests';
import {
  idempotent,
  isAssignmentExisting,
  isAssignmentMissing,
} from './graphWriteErrors';

const SCHEDULE_REQUESTS =
  '/identityGovernance/privilegedAccess/group/assignmentScheduleRequests';

/** Schedule request statuses that mean Entra did not do what was asked (`Revoked` is adminRemove's success). */
const REFUSED_STATUSES = new Set(['Failed', 'Denied', 'Canceled']);

/**
 * PIM for Groups (`pim` mode; needs PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup and Entra ID P2): an
 * active member assignment with an expiration, which Entra ends on its own at `expiresAt` even while Backstage is
 * down; `adminRemove` ends it early (revoke).
 */
export class PimMembershipWriter implements MembershipWriter {
  readonly mode = 'pim' as const;
  readonly #graph: GraphRequests;

  static create(options: { graph: GraphRequests }) {
    return new PimMembershipWriter(options);
  }

  private constructor(options: { graph: GraphRequests }) {
    this.#graph = options.graph;
  }

  async addMember(
    ctx: SourceContext,
    membership: MembershipRef & { expiresAt?: Date; justification?: string },
  ): Promise<void> {
    const { expiresAt } = membership;
    await this.#scheduleRequest(
      ctx,
      {
        accessId: 'member',
        principalId: membership.userId,
        groupId: membership.groupId,
        action: 'adminAssign',
        // No start: Entra starts it now, by its own clock.
        scheduleInfo: {
          expiration: expiresAt
            ? { type: 'afterDateTime', endDateTime: expiresAt.toISOString() }
            : { type: 'noExpiration' },
        },
        justification:
          membership.justification ?? 'Access request approved in Backstage',
      },
      isAssignmentExisting,
    );
  }

  async removeMember(
    ctx: SourceContext,
    membership: MembershipRef,
  ): Promise<void> {
    await this.#scheduleRequest(
      ctx,
      {
        accessId: 'member',
        principalId: membership.userId,
        groupId: membership.groupId,
        action: 'adminRemove',
        justification: 'Access request ended in Backstage',
      },
      isAssignmentMissing,
    );
  }

  async #scheduleRequest(
    ctx: SourceContext,
    body: Record<string, unknown> & { action: string },
    alreadyDone: (error: unknown) => boolean,
  ): Promise<void> {
    const operation = `assignmentScheduleRequests ${body.action}`;
    let answer: { status?: unknown } | undefined;
    await this.#graph.call(operation, ctx, () =>
      idempotent(async () => {
        answer = await this.#graph.client
          .api(SCHEDULE_REQUESTS)
          .option('signal', ctx.signal as any)
          .post(body);
      }, alreadyDone),
    );
    const status = typeof answer?.status === 'string' ? answer.status : '';
    if (REFUSED_STATUSES.has(status)) {
      throw new SourceError({
        source: 'graph',
        errorClass: `pim-${status.toLowerCase()}`,
        message: `${operation} answered ${status}`,
      });
    }
  }
}
