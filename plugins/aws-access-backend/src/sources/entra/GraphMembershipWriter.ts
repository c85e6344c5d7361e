import type { MembershipRef, MembershipWriter, SourceContext } from '../ports';
import type { GraphRequests } from './GraphRequests';
import { idempotent, isAlreadyMember, isNotMember } from './graphWriteErrors';

/**
 * Plain group membership (`membership` mode; needs GroupMember.ReadWrite.All): adds and removes a direct member.
 * Entra knows no end date here: the request worker removes the member at expiry.
 */
export class GraphMembershipWriter implements MembershipWriter {
  readonly mode = 'membership' as const;
  readonly #graph: GraphRequests;
  readonly #directoryObjectsUrl: string;

  static create(options: { graph: GraphRequests; graphBaseUrl: string }) {
    return new GraphMembershipWriter(options);
  }

  private constructor(options: { graph: GraphRequests; graphBaseUrl: string }) {
    this.#graph = options.graph;
    // The reference names the member by its URL on the same Graph the write goes to (national clouds included).
    this.#directoryObjectsUrl = `${
      new URL(options.graphBaseUrl).origin
    }/v1.0/directoryObjects`;
  }

  async addMember(
    ctx: SourceContext,
    membership: MembershipRef,
  ): Promise<void> {
    const { groupId, userId } = membership;
    await this.#graph.call('groups/members/$ref POST', ctx, () =>
      idempotent(
        () =>
          this.#graph.client
            .api(`/groups/${encodeURIComponent(groupId)}/members/$ref`)
            .option('signal', ctx.signal as any)
            .post({
              '@odata.id': `${this.#directoryObjectsUrl}/${encodeURIComponent(
                userId,
              )}`,
            }),
        isAlreadyMember,
      ),
    );
  }

  async removeMember(
    ctx: SourceContext,
    membership: MembershipRef,
  ): Promise<void> {
    const { groupId, userId } = membership;
    await this.#graph.call('groups/members/$ref DELETE', ctx, () =>
      idempotent(
        () =>
          this.#graph.client
            .api(
              `/groups/${encodeURIComponent(
                groupId,
              )}/members/${encodeURIComponent(userId)}/$ref`,
            )
            .option('signal', ctx.signal as any)
            .delete(),
        isNotMember,
      ),
    );
  }
}
