import type { AwsService } from './errors';
import { AwsError } from './errors';

/*
 * Input validation as the services do it, with their messages: SSO Admin and Identity Store answer
 * ValidationException "1 validation error detected: Value '200' at 'maxResults' failed to satisfy constraint: …";
 * Organizations answers InvalidInputException with a Reason.
 */

export const PATTERNS = {
  instanceArn:
    /^arn:aws(-[a-z]{1,5}){0,3}:sso:::instance\/(sso)?ins-[a-zA-Z0-9-.]{16}$/,
  permissionSetArn:
    /^arn:aws(-[a-z]{1,5}){0,3}:sso:::permissionSet\/(sso)?ins-[a-zA-Z0-9-.]{16}\/ps-[a-zA-Z0-9-./]{16}$/,
  accountId: /^\d{12}$/,
  principalId:
    /^([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$/,
  requestId: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  ssoNextToken: /^[-a-zA-Z0-9+=/_]*$/,
  idsNextToken: /^[-a-zA-Z0-9+=/:_]*$/,
  identityStoreId:
    /^(d-[0-9a-f]{10}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/,
  ssoResourceArn:
    /^arn:aws(-[a-z]{1,5}){0,3}:sso::((:instance\/(sso)?ins-[a-zA-Z0-9-.]{16})|(:permissionSet\/(sso)?ins-[a-zA-Z0-9-.]{16}\/ps-[a-zA-Z0-9-./]{16})|(\d{12}:application\/(sso)?ins-[a-zA-Z0-9-.]{16}\/apl-[a-zA-Z0-9]{16})|(\d{12}:trustedTokenIssuer\/(sso)?ins-[a-zA-Z0-9-.]{16}\/tti-[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}))$/,
  orgResourceId:
    /^((r-[0-9a-z]{4,32})|(\d{12})|(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})|(p-[0-9a-zA-Z_]{8,128})|(rp-[0-9a-zA-Z_]{4,128})|(rt-[0-9a-zA-Z_]{8,32}))$/,
  orgParentId: /^((r-[0-9a-z]{4,32})|(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}))$/,
  orgChildId: /^((\d{12})|(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}))$/,
  orgUnitId: /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/,
};

interface StringRule {
  required?: boolean;
  pattern?: RegExp;
  min?: number;
  max?: number;
  enum?: readonly string[];
}

const ORG_MESSAGES: Record<string, string> = {
  INPUT_REQUIRED: 'You must specify a value for all required parameters.',
  MAX_VALUE_EXCEEDED:
    'You provided a value that exceeds the maximum allowed value.',
  MIN_VALUE_EXCEEDED:
    'You provided a value that is less than the minimum allowed value.',
  INVALID_PATTERN:
    'You provided a value that does not match the required pattern.',
  INVALID_ENUM: 'You provided a value that is not valid for this parameter.',
  MAX_LENGTH_EXCEEDED:
    'You provided a string parameter that is longer than allowed.',
  MIN_LENGTH_EXCEEDED:
    'You provided a string parameter that is shorter than allowed.',
};

const camel = (name: string) => name[0].toLowerCase() + name.slice(1);

/** Collects validation problems for one request and throws them the way the service would. */
export class Validator {
  readonly #service: AwsService;
  readonly #input: Record<string, unknown>;
  readonly #problems: { message: string; reason: string }[] = [];

  constructor(service: AwsService, input: Record<string, unknown>) {
    this.#service = service;
    this.#input = input;
  }

  get service(): AwsService {
    return this.#service;
  }

  string(name: string, rule: StringRule = {}): string | undefined {
    return this.stringAt(name, this.#input[name], rule);
  }

  /** Validates a nested member, reported with its dotted path (`filter.accountId`). */
  stringAt(
    path: string,
    value: unknown,
    rule: StringRule = {},
  ): string | undefined {
    const at = path.split('.').map(camel).join('.');
    if (value === undefined || value === null) {
      if (rule.required) this.#missing(at);
      return undefined;
    }
    if (typeof value !== 'string') {
      this.#fail(
        `Value at '${at}' failed to satisfy constraint: Member must be a string`,
        'INVALID_INPUT',
      );
      return undefined;
    }
    if (rule.enum && !rule.enum.includes(value)) {
      this.#fail(
        `Value '${value}' at '${at}' failed to satisfy constraint: Member must satisfy enum value set: [${rule.enum.join(
          ', ',
        )}]`,
        'INVALID_ENUM',
      );
    } else if (rule.min !== undefined && value.length < rule.min) {
      this.#fail(
        `Value '${value}' at '${at}' failed to satisfy constraint: Member must have length greater than or equal to ${rule.min}`,
        'MIN_LENGTH_EXCEEDED',
      );
    } else if (rule.max !== undefined && value.length > rule.max) {
      this.#fail(
        `Value at '${at}' failed to satisfy constraint: Member must have length less than or equal to ${rule.max}`,
        'MAX_LENGTH_EXCEEDED',
      );
    } else if (rule.pattern && !rule.pattern.test(value)) {
      this.#fail(
        `Value '${value}' at '${at}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${rule.pattern.source.replace(
          /^\^|\$$/g,
          '',
        )}`,
        'INVALID_PATTERN',
      );
    }
    return value;
  }

  integer(
    name: string,
    rule: { min?: number; max?: number } = {},
  ): number | undefined {
    const value = this.#input[name];
    if (value === undefined || value === null) return undefined;
    const at = camel(name);
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      this.#fail(
        `Value at '${at}' failed to satisfy constraint: Member must be an integer`,
        'INVALID_INPUT',
      );
      return undefined;
    }
    if (rule.min !== undefined && value < rule.min) {
      this.#fail(
        `Value '${value}' at '${at}' failed to satisfy constraint: Member must have value greater than or equal to ${rule.min}`,
        'MIN_VALUE_EXCEEDED',
      );
    } else if (rule.max !== undefined && value > rule.max) {
      this.#fail(
        `Value '${value}' at '${at}' failed to satisfy constraint: Member must have value less than or equal to ${rule.max}`,
        'MAX_VALUE_EXCEEDED',
      );
    }
    return value;
  }

  list(
    name: string,
    rule: { required?: boolean; min?: number; max?: number } = {},
  ): unknown[] | undefined {
    const value = this.#input[name];
    const at = camel(name);
    if (value === undefined || value === null) {
      if (rule.required) this.#missing(at);
      return undefined;
    }
    if (!Array.isArray(value)) {
      this.#fail(
        `Value at '${at}' failed to satisfy constraint: Member must be a list`,
        'INVALID_INPUT',
      );
      return undefined;
    }
    if (rule.min !== undefined && value.length < rule.min) {
      this.#fail(
        `Value '[]' at '${at}' failed to satisfy constraint: Member must have length greater than or equal to ${rule.min}`,
        'MIN_LENGTH_EXCEEDED',
      );
    } else if (rule.max !== undefined && value.length > rule.max) {
      this.#fail(
        `Value at '${at}' failed to satisfy constraint: Member must have length less than or equal to ${rule.max}`,
        'MAX_LENGTH_EXCEEDED',
      );
    }
    return value;
  }

  /** A structure member (unions included); `exactlyOne` lists the union's members. */
  object(
    name: string,
    rule: { required?: boolean; exactlyOne?: string[] } = {},
  ): Record<string, unknown> | undefined {
    const value = this.#input[name];
    const at = camel(name);
    if (value === undefined || value === null) {
      if (rule.required) this.#missing(at);
      return undefined;
    }
    if (typeof value !== 'object' || Array.isArray(value)) {
      this.#fail(
        `Value at '${at}' failed to satisfy constraint: Member must be a structure`,
        'INVALID_INPUT',
      );
      return undefined;
    }
    const record = value as Record<string, unknown>;
    if (rule.exactlyOne) {
      const set = rule.exactlyOne.filter(
        key => record[key] !== undefined && record[key] !== null,
      );
      if (set.length !== 1) {
        this.#fail(
          `Value at '${at}' failed to satisfy constraint: Member must have exactly one of [${rule.exactlyOne.join(
            ', ',
          )}] set`,
          'INVALID_INPUT',
        );
      }
    }
    return record;
  }

  /** Throws the collected problems, if any. Call once all members are read. */
  check(): void {
    if (this.#problems.length === 0) return;
    if (this.#service === 'organizations') {
      const [first] = this.#problems;
      throw new AwsError(
        'InvalidInputException',
        ORG_MESSAGES[first.reason] ?? first.message,
        { Reason: first.reason },
      );
    }
    const n = this.#problems.length;
    throw new AwsError(
      'ValidationException',
      `${n} validation error${n > 1 ? 's' : ''} detected: ${this.#problems
        .map(p => p.message)
        .join('; ')}`,
    );
  }

  #missing(at: string) {
    this.#fail(
      `Value null at '${at}' failed to satisfy constraint: Member must not be null`,
      'INPUT_REQUIRED',
    );
  }

  #fail(message: string, reason: string) {
    this.#problems.push({ message, reason });
  }
}
