import { createHash } from 'node:crypto';
import type {
  AccessPageQuery,
  AccessPageSort,
} from '@aws-access/plugin-aws-access-common';
import {
  ACCESS_PAGE_DEFAULT_LIMIT,
  ACCESS_PAGE_MAX_LIMIT,
  accessPageSorts,
  grantStates,
} from '@aws-access/plugin-aws-access-common';
import { z } from 'zod';
import { inputError, PAGE_PARAMETER_FORMATS, parse } from './parameters';

/*
 * The paging parameters of the access lists (`/me`, `/users/:ref`, `/groups/:ref`, `/accounts/:id`), checked with
 * the sentences a refusal says, and the cursor: an opaque token holding the last row's sort key, so the next page
 * starts right after that row even when a sync changed the list in between.
 */

const format = (name: string) => PAGE_PARAMETER_FORMATS[`query.${name}`];

/** A sort key: compared element by element, numbers as numbers and strings as English text. */
export type RowKey = Array<string | number>;

/** A page request, parsed: defaults applied, the cursor decoded. */
export interface PageRequest
  extends Omit<AccessPageQuery, 'cursor' | 'limit' | 'sort' | 'order'> {
  limit: number;
  sort: AccessPageSort;
  order: 'asc' | 'desc';
  /** The sort key of the row the previous page ended with. */
  after?: RowKey;
  /** Identifies the sort and filters, so a cursor is only used with the list it was made for. */
  fingerprint: string;
}

const integer = (name: string, min: number, max: number) =>
  z.coerce
    .number({ error: format(name) })
    .int(format(name))
    .min(min, format(name))
    .max(max, format(name));

const text = z.string().trim().min(1).max(200).optional();

const querySchema = z.object({
  limit: integer('limit', 1, ACCESS_PAGE_MAX_LIMIT).optional(),
  offset: integer('offset', 0, Number.MAX_SAFE_INTEGER).optional(),
  cursor: z.string().max(4000).optional(),
  sort: z
    .enum(accessPageSorts as readonly [AccessPageSort, ...AccessPageSort[]], {
      error: format('sort'),
    })
    .optional(),
  order: z.enum(['asc', 'desc'], { error: format('order') }).optional(),
  member: text,
  account: text,
  ou: text,
  permissionSet: text,
  state: z
    .string()
    .transform((value, ctx) => {
      const states = value.split(',').map(s => s.trim());
      if (states.some(s => !(grantStates as string[]).includes(s))) {
        ctx.addIssue({ code: 'custom', message: format('state') });
        return z.NEVER;
      }
      return states as AccessPageQuery['state'];
    })
    .optional(),
  q: text,
});

/** The paging parameters of a request's query; `defaultSort` is the list's natural order. */
export function parsePageQuery(
  query: unknown,
  defaultSort: AccessPageSort,
): PageRequest {
  const { cursor, ...parsed } = parse(querySchema, query, 'query');
  if (cursor !== undefined && parsed.offset !== undefined)
    throw inputError(
      'Invalid query.cursor: give either cursor or offset, not both',
    );
  const request = {
    ...parsed,
    limit: parsed.limit ?? ACCESS_PAGE_DEFAULT_LIMIT,
    sort: parsed.sort ?? defaultSort,
    order: parsed.order ?? 'asc',
  };
  const fingerprint = fingerprintOf(request);
  return {
    ...request,
    fingerprint,
    after: cursor === undefined ? undefined : decodeCursor(cursor, fingerprint),
  };
}

/** The sort and filters a cursor belongs to (not the limit: pages may change size on the way). */
function fingerprintOf(request: Omit<PageRequest, 'fingerprint'>): string {
  const { sort, order, member, account, ou, permissionSet, state, q } = request;
  return createHash('sha256')
    .update(
      JSON.stringify([
        sort,
        order,
        member,
        account,
        ou,
        permissionSet,
        state,
        q,
      ]),
    )
    .digest('base64url')
    .slice(0, 12);
}

/** The cursor after a row: its sort key and the list's fingerprint. */
export function encodeCursor(key: RowKey, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ f: fingerprint, k: key })).toString(
    'base64url',
  );
}

function decodeCursor(cursor: string, fingerprint: string): RowKey {
  let decoded: { f?: unknown; k?: unknown };
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw inputError(`Invalid query.cursor: ${format('cursor')}`);
  }
  const key = decoded?.k;
  if (
    !Array.isArray(key) ||
    !key.every(part => typeof part === 'string' || typeof part === 'number')
  )
    throw inputError(`Invalid query.cursor: ${format('cursor')}`);
  if (decoded.f !== fingerprint)
    throw inputError(
      'Invalid query.cursor: was made for another sort or filter; start again without a cursor',
    );
  return key;
}
