import type { Client } from '@microsoft/microsoft-graph-client';
import type { SourceContext } from '../ports';
import type { RequestBudget } from '../requests/RequestBudget';
import { SourceError } from '../requests/SourceError';
import { callWithRetries, classifyGraphError } from '../requests/retry';

/** Delta takes no `$top`: the page size is asked for with a Prefer header, and Graph may cap it lower. */
const DELTA_PAGE_SIZE_PREFERENCE = 'odata.maxpagesize=999';

type Collection<T> = {
  value?: T[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
};

/**
 * Every Graph request of the Entra source: through the shared request budget, retried as the run allows, counted.
 * Pages are followed to their end; a page without its value array, or a delta round without its deltaLink, fails
 * the read rather than returning part of a listing.
 */
export class GraphRequests {
  readonly #client: Client;
  readonly #budget: RequestBudget;
  readonly #retry: { maxAttempts?: number; baseDelayMs?: number };

  static create(options: {
    client: Client;
    budget: RequestBudget;
    retry?: { maxAttempts: number; baseDelayMs: number };
  }) {
    return new GraphRequests(options);
  }

  private constructor(options: {
    client: Client;
    budget: RequestBudget;
    retry?: { maxAttempts: number; baseDelayMs: number };
  }) {
    this.#client = options.client;
    this.#budget = options.budget;
    this.#retry = options.retry ?? {};
  }

  /** The Graph client, for requests that are not reads of a path (posts). */
  get client(): Client {
    return this.#client;
  }

  /** One request, within the budget and with retries. */
  call<T>(
    operation: string,
    ctx: SourceContext,
    send: () => Promise<T>,
  ): Promise<T> {
    return callWithRetries(
      async () => {
        await this.#budget.acquire(ctx.signal);
        return send();
      },
      {
        source: 'graph',
        operation,
        stats: ctx.stats,
        classify: classifyGraphError,
        signal: ctx.signal,
        deadline: ctx.deadline,
        ...this.#retry,
      },
    );
  }

  /** A GET that must answer a JSON object. */
  get<T>(
    path: string,
    operation: string,
    ctx: SourceContext,
    headers: Record<string, string> = {},
  ): Promise<T> {
    return this.call(operation, ctx, async () => {
      const response = await this.#client
        .api(path)
        .headers(headers)
        .option('signal', ctx.signal as any)
        .get();
      if (response === null || typeof response !== 'object') {
        throw new SourceError({
          source: 'graph',
          errorClass: 'malformed-response',
          message: `${operation} returned no JSON object`,
        });
      }
      return response as T;
    });
  }

  async #page<T>(
    link: string,
    operation: string,
    ctx: SourceContext,
    headers?: Record<string, string>,
  ): Promise<Collection<T> & { value: T[] }> {
    const page = await this.get<Collection<T>>(link, operation, ctx, headers);
    if (!Array.isArray(page.value)) {
      throw new SourceError({
        source: 'graph',
        errorClass: 'malformed-response',
        message: `${operation} page has no value array`,
      });
    }
    return page as Collection<T> & { value: T[] };
  }

  /** Every item of a collection, following nextLink. */
  async all<T>(path: string, operation: string, ctx: SourceContext) {
    const items: T[] = [];
    let next: string | undefined = path;
    while (next) {
      const page: Collection<T> & { value: T[] } = await this.#page<T>(
        next,
        operation,
        ctx,
      );
      items.push(...page.value);
      next = page['@odata.nextLink'];
    }
    return items;
  }

  /**
   * Follows a delta round to its deltaLink, asking for large pages on every page (a tenant's first read is where
   * this matters: 100 users per page would be 1,000 requests at 100k users). Each page's items are handed to
   * `onPage`, in order, before the next page is asked for: a tenant's first round is not all held at once.
   */
  async delta<T>(
    start: string,
    operation: string,
    ctx: SourceContext,
    onPage: (items: T[]) => Promise<void>,
  ): Promise<{ deltaLink: string }> {
    let next = start;
    for (;;) {
      const page: Collection<T> & { value: T[] } = await this.#page<T>(
        next,
        operation,
        ctx,
        { Prefer: DELTA_PAGE_SIZE_PREFERENCE },
      );
      await onPage(page.value);
      if (page['@odata.deltaLink'])
        return { deltaLink: page['@odata.deltaLink'] };
      if (!page['@odata.nextLink']) {
        throw new SourceError({
          source: 'graph',
          errorClass: 'paging-broken',
          message: `${operation} ended without a deltaLink`,
        });
      }
      next = page['@odata.nextLink'];
    }
  }
}
