import type { SourceName } from '../../snapshot/model';
import type { SourceContext } from '../ports';
import type { RequestBudget } from '../requests/RequestBudget';
import { SourceError } from '../requests/SourceError';
import { callWithRetries, classifyAwsError } from '../requests/retry';
import type { AwsClients } from './awsClients';

type ClientName = keyof AwsClients;

const SOURCE_OF: Record<ClientName, SourceName> = {
  ssoAdmin: 'sso-admin',
  identityStore: 'identitystore',
  organizations: 'organizations',
};

/** A page of a listing: its items (undefined when the answer had no list) and the token of the next page. */
type Page<T> = { items: T[] | undefined; nextToken?: string };

/** The operation a command performs, as AWS names it (`ListAccountsCommand` → `ListAccounts`). */
function operationOf(command: object): string {
  return command.constructor.name.replace(/Command$/, '');
}

/**
 * Every AWS call of a source or writer: through the budget of its service (Identity Center's instance-wide limit,
 * or Organizations'), retried as the run allows, counted per operation. Listings are followed to their end.
 */
export class AwsRequests {
  readonly #clients: AwsClients;
  readonly #identityCenterBudget: RequestBudget;
  readonly #organizationsBudget: RequestBudget;
  readonly #retry: { maxAttempts?: number; baseDelayMs?: number };

  static create(options: {
    clients: AwsClients;
    /** Shared by sso-admin and identitystore: the instance's collective limit. */
    identityCenterBudget: RequestBudget;
    organizationsBudget: RequestBudget;
    retry?: { maxAttempts: number; baseDelayMs: number };
  }) {
    return new AwsRequests(options);
  }

  private constructor(options: {
    clients: AwsClients;
    identityCenterBudget: RequestBudget;
    organizationsBudget: RequestBudget;
    retry?: { maxAttempts: number; baseDelayMs: number };
  }) {
    this.#clients = options.clients;
    this.#identityCenterBudget = options.identityCenterBudget;
    this.#organizationsBudget = options.organizationsBudget;
    this.#retry = options.retry ?? {};
  }

  /** One call, within its service's budget and with retries. */
  call<T>(
    source: SourceName,
    operation: string,
    ctx: SourceContext,
    send: (abortSignal?: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const budget =
      source === 'organizations'
        ? this.#organizationsBudget
        : this.#identityCenterBudget;
    return callWithRetries(
      async () => {
        await budget.acquire(ctx.signal);
        return send(ctx.signal);
      },
      {
        source,
        operation,
        stats: ctx.stats,
        classify: classifyAwsError,
        signal: ctx.signal,
        deadline: ctx.deadline,
        ...this.#retry,
      },
    );
  }

  /**
   * One command. `tolerate` turns an AWS error that is an answer (ResourceNotFoundException: no boundary, no such
   * user) into a value instead of a failure.
   */
  send<O>(
    client: ClientName,
    ctx: SourceContext,
    command: object,
    tolerate?: (error: any) => O | undefined,
  ): Promise<O> {
    // Each client's send is typed for its own commands; the command here is one of the client's.
    const sdk = this.#clients[client] as {
      send(command: object, options: { abortSignal?: AbortSignal }): Promise<O>;
    };
    return this.call(
      SOURCE_OF[client],
      operationOf(command),
      ctx,
      abortSignal =>
        sdk.send(command, { abortSignal }).catch(error => {
          const answer = tolerate?.(error);
          if (answer !== undefined) return answer;
          throw error;
        }),
    );
  }

  /**
   * Every item of a listing command, following NextToken to the end. An empty page with a token is not the end
   * (Organizations does that); an answer without its list, or the same token twice, fails the read.
   */
  async list<T, O = any>(
    client: ClientName,
    ctx: SourceContext,
    command: (nextToken: string | undefined) => object,
    itemsOf: (output: O) => T[] | undefined,
  ): Promise<T[]> {
    const operation = operationOf(command(undefined));
    return this.#all(SOURCE_OF[client], operation, async token => {
      const output = await this.send<O & { NextToken?: string }>(
        client,
        ctx,
        command(token),
      );
      return { items: itemsOf(output), nextToken: output.NextToken };
    });
  }

  async #all<T>(
    source: SourceName,
    operation: string,
    fetchPage: (nextToken: string | undefined) => Promise<Page<T>>,
  ): Promise<T[]> {
    const items: T[] = [];
    const seen = new Set<string>();
    let nextToken: string | undefined;
    do {
      const page = await fetchPage(nextToken);
      if (!Array.isArray(page.items)) {
        throw new SourceError({
          source,
          errorClass: 'malformed-response',
          message: `${operation} returned no list`,
        });
      }
      items.push(...page.items);
      nextToken = page.nextToken || undefined;
      if (nextToken && seen.has(nextToken)) {
        throw new SourceError({
          source,
          errorClass: 'paging-loop',
          message: `${operation} returned the same NextToken twice`,
        });
      }
      if (nextToken) seen.add(nextToken);
    } while (nextToken);
    return items;
  }
}
