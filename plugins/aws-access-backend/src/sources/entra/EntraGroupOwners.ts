import type { GroupOwner, GroupOwnersReader, SourceContext } from '../ports';
import type { GraphRequests } from './GraphRequests';

/**
 * A group's owners in Entra (`GET /groups/{id}/owners`, every page), people only: the cast to users leaves out
 * service principals, which own groups for automation and can approve nothing.
 */
export class EntraGroupOwners implements GroupOwnersReader {
  readonly #graph: GraphRequests;

  static create(options: { graph: GraphRequests }) {
    return new EntraGroupOwners(options);
  }

  private constructor(options: { graph: GraphRequests }) {
    this.#graph = options.graph;
  }

  async readGroupOwners(
    ctx: SourceContext,
    groupId: string,
  ): Promise<GroupOwner[]> {
    const owners = await this.#graph.all<{
      id?: unknown;
      userPrincipalName?: unknown;
      mail?: unknown;
    }>(
      `/groups/${encodeURIComponent(
        groupId,
      )}/owners/microsoft.graph.user?$select=id,userPrincipalName,mail&$top=100`,
      'groups/owners',
      ctx,
    );
    return owners.flatMap(owner =>
      typeof owner.id === 'string'
        ? [
            {
              id: owner.id,
              ...(typeof owner.userPrincipalName === 'string' && {
                userPrincipalName: owner.userPrincipalName,
              }),
              ...(typeof owner.mail === 'string' && { mail: owner.mail }),
            },
          ]
        : [],
    );
  }
}
