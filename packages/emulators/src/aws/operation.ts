import type { AwsContext, AwsHandler } from './context';
import type { AwsService } from './errors';
import type { Validator } from './validate';
import { PATTERNS } from './validate';

/*
 * The scaffolding every awsJson1_1 operation shares, so a service file only declares its operations: read and
 * validate the input members (every problem reported together, before anything is looked up, as the services do),
 * then answer; listings also page their items behind a NextToken bound to the listing, in the service's paging
 * members.
 */

/** The paging members of a listing. */
export interface Paging {
  maxResults?: number;
  nextToken?: string;
}

/** MaxResults cap and NextToken rule per service model. */
const PAGING_RULES: Record<
  AwsService,
  {
    maxResults: number;
    nextToken: { pattern?: RegExp; min?: number; max: number };
  }
> = {
  'sso-admin': {
    maxResults: 100,
    nextToken: { pattern: PATTERNS.ssoNextToken, max: 2048 },
  },
  identitystore: {
    maxResults: 100,
    nextToken: { pattern: PATTERNS.idsNextToken, min: 1, max: 65535 },
  },
  organizations: { maxResults: 20, nextToken: { max: 100000 } },
};

/** `NextToken` as the validator's service declares it (for listings without MaxResults). */
export function nextTokenMember(v: Validator): string | undefined {
  return v.string('NextToken', PAGING_RULES[v.service].nextToken);
}

/** `MaxResults` and `NextToken`; call it where the model lists them, so problems are reported in model order. */
export function pagingMembers(v: Validator): Paging {
  return {
    maxResults: v.integer('MaxResults', {
      min: 1,
      max: PAGING_RULES[v.service].maxResults,
    }),
    nextToken: nextTokenMember(v),
  };
}

/** An operation: `read` declares and validates its input members, `answer` looks things up and answers. */
export function operation<I>(
  read: (v: Validator) => I,
  answer: (input: I, ctx: AwsContext) => Record<string, unknown>,
): AwsHandler {
  return (raw, ctx) => {
    const v = ctx.validator(raw);
    const input = read(v);
    v.check();
    return answer(input, ctx);
  };
}

/**
 * A paged listing: `list` answers the items and the scope a NextToken is bound to (the members that define the
 * listing); the answer is `{ [key]: page, NextToken? }`.
 */
export function listing<I extends Paging, T>(spec: {
  read: (v: Validator) => I;
  list: (input: I, ctx: AwsContext) => { items: readonly T[]; scope: string };
  key: string;
  render?: (item: T, ctx: AwsContext, input: I) => unknown;
  defaultMax: number;
}): AwsHandler {
  return operation(spec.read, (input, ctx) => {
    const { items, scope } = spec.list(input, ctx);
    const { page, nextToken } = ctx.page(items, {
      scope,
      maxResults: input.maxResults,
      nextToken: input.nextToken,
      defaultMax: spec.defaultMax,
    });
    const render = spec.render;
    const body: Record<string, unknown> = {
      [spec.key]: render ? page.map(item => render(item, ctx, input)) : page,
    };
    if (nextToken) body.NextToken = nextToken;
    return body;
  });
}
