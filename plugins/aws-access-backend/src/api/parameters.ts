import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  ACCESS_PAGE_MAX_LIMIT,
  accessPageSorts,
  grantStates,
} from '@aws-access/plugin-aws-access-common';
import { z } from 'zod';

/*
 * Our checks of the API's inputs. openapi.yaml declares every route and parameter, and the validated router
 * refuses what it does not declare; these checks say precisely what a valid value looks like, and turn entity
 * refs into their canonical form. Every refusal is a 400 InputError naming the parameter.
 */

const ACCOUNT_ID = 'must be a 12-digit AWS account id';
const PERMISSION_SET_NAME =
  'must be a permission set name (1-32 of letters, digits, +=,.@_-)';

export const entityRefParam = (kind: 'user' | 'group') =>
  z.string().transform((value, ctx) => {
    try {
      const ref = parseEntityRef(value, {
        defaultKind: kind,
        defaultNamespace: 'default',
      });
      if (ref.kind.toLocaleLowerCase('en-US') !== kind) {
        ctx.addIssue({
          code: 'custom',
          message: `must be a ${kind} entity ref, got kind ${ref.kind}`,
        });
        return z.NEVER;
      }
      return stringifyEntityRef(ref);
    } catch (error) {
      ctx.addIssue({
        code: 'custom',
        message: `is not an entity ref (${(error as Error).message})`,
      });
      return z.NEVER;
    }
  });

export const accountIdParam = z.string().regex(/^\d{12}$/, ACCOUNT_ID);

export const permissionSetNameParam = z
  .string()
  .regex(/^[\w+=,.@-]{1,32}$/, PERMISSION_SET_NAME);

/**
 * A 400 in our words (`Invalid <parameter>: <problem>`). About a body field, it also carries the field's name as
 * the body spells it (`ErrorResponseBody.error.field`), so a form can show the message under that field.
 */
export function inputError(message: string): InputError {
  const field = /^Invalid body\.([^:\s]+):/.exec(message)?.[1];
  return Object.assign(new InputError(message), field ? { field } : {});
}

/** Parses input with zod; failures are 400 InputError naming the parameter. */
export function parse<T>(
  schema: z.ZodType<T, any>,
  value: unknown,
  name: string,
): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where =
      issue.path.length > 0 ? `${name}.${issue.path.join('.')}` : name;
    throw inputError(`Invalid ${where}: ${issue.message}`);
  }
  return result.data;
}

/** Where the validated router found a problem, named as our own checks name it (`accountId`, `query.format`). */
const VALIDATOR_PROBLEM =
  /^request\/(params|query|body)(?:\/(\S+))? (must have required property '([^']+)'|.+?)(?:, request\/.*)?$/s;

/** What a valid value of each paging parameter looks like (also how a refusal of openapi.yaml's checks reads). */
export const PAGE_PARAMETER_FORMATS: Record<string, string> = {
  'query.limit': `must be an integer from 1 to ${ACCESS_PAGE_MAX_LIMIT}`,
  'query.offset': 'must be an integer of 0 or more',
  'query.sort': `must be one of ${accessPageSorts.join(', ')}`,
  'query.order': 'must be one of asc, desc',
  'query.state': `must be a comma-separated list of ${grantStates.join(', ')}`,
  'query.cursor': 'must be the nextCursor of an earlier page',
};

/** For parameters whose format the spec states as a pattern, the sentence our own check says. */
const FORMAT_OF: Record<string, string> = {
  accountId: ACCOUNT_ID,
  'query.account': ACCOUNT_ID,
  name: PERMISSION_SET_NAME,
  ...PAGE_PARAMETER_FORMATS,
};

/**
 * The validated router's refusal (openapi.yaml's checks, phrased by express-openapi-validator) in the words of
 * our own checks: `Invalid <parameter>: <what is wrong>`. Other messages (ours, or one this does not know) are
 * kept as they are.
 */
export function describeRefusal(message: string): string {
  const unknown = /^Unknown query parameter '([^']+)'$/.exec(message);
  if (unknown)
    return `Invalid query.${unknown[1]}: is not a parameter of this route`;
  const empty = /^Empty value found for query parameter '([^']+)'$/.exec(
    message,
  );
  if (empty)
    return `Invalid query.${empty[1]}: ${
      FORMAT_OF[`query.${empty[1]}`] ?? 'must not be empty'
    }`;
  const problem = VALIDATOR_PROBLEM.exec(message);
  if (!problem) return message;
  const [, where, path, text, missing] = problem;
  const parts = [
    ...(where === 'params' ? [] : [where]),
    ...(path ? path.split('/') : []),
    ...(missing ? [missing] : []),
  ];
  const name = parts.join('.');
  return `Invalid ${name}: ${
    missing ? 'is required' : FORMAT_OF[name] ?? text
  }`;
}
