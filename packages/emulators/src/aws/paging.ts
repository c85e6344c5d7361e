import { fromBase64Url, hexFrom, toBase64Url } from '../ids';
import type { AwsService } from './errors';
import { AwsError } from './errors';

/*
 * Opaque, stateless NextTokens: an offset plus a checksum of the request they continue, so a token from another
 * operation or query (or a made-up one) is rejected like the real services reject tokens they did not issue.
 */

export interface PageOptions {
  service: AwsService;
  /** The operation and the members that define the listing (`ListAccountAssignments|<account>|<ps arn>`). */
  scope: string;
  nextToken?: string;
  maxResults?: number;
  defaultMax: number;
  /** Answer an empty page that still carries a NextToken (the Organizations quirk, as a fault). */
  emptyPage?: boolean;
}

export function paginate<T>(
  items: readonly T[],
  options: PageOptions,
): { page: T[]; nextToken?: string } {
  const offset =
    options.nextToken === undefined || options.nextToken === ''
      ? 0
      : decodeToken(options.nextToken, options);
  const size = options.maxResults ?? options.defaultMax;
  if (options.emptyPage) {
    return { page: [], nextToken: encodeToken(offset, options.scope) };
  }
  const page = items.slice(offset, offset + size);
  const next = offset + size;
  return next < items.length
    ? { page, nextToken: encodeToken(next, options.scope) }
    : { page };
}

function encodeToken(offset: number, scope: string): string {
  const payload = `${offset}.${hexFrom(8, 'nexttoken', scope, String(offset))}`;
  return toBase64Url(payload);
}

function decodeToken(token: string, options: PageOptions): number {
  const payload = fromBase64Url(token);
  const match = payload ? /^(\d+)\.([0-9a-f]{8})$/.exec(payload) : null;
  if (!match || hexFrom(8, 'nexttoken', options.scope, match[1]) !== match[2]) {
    throw invalidToken(options.service);
  }
  return Number(match[1]);
}

export function invalidToken(service: AwsService): AwsError {
  if (service === 'organizations') {
    return new AwsError(
      'InvalidInputException',
      'The specified NextToken is not valid.',
      { Reason: 'INVALID_NEXT_TOKEN' },
    );
  }
  return new AwsError(
    'ValidationException',
    'The NextToken is invalid or has expired.',
  );
}
