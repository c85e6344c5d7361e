import type { World } from '../state/World';
import type { AwsService } from './errors';
import type { PageOptions } from './paging';
import { paginate } from './paging';
import { Validator } from './validate';

/** What an AWS operation handler gets besides its input. */
export interface AwsContext {
  service: AwsService;
  operation: string;
  world: World;
  /** An `empty-page` fault is active for this call. */
  emptyPage: boolean;
  /** An `async-failure` fault is active: an asynchronous write is accepted and ends FAILED. */
  asyncFailure: boolean;
  validator(input: Record<string, unknown>): Validator;
  page<T>(
    items: readonly T[],
    options: Omit<PageOptions, 'service' | 'emptyPage'>,
  ): { page: T[]; nextToken?: string };
}

export type AwsHandler = (
  input: Record<string, unknown>,
  ctx: AwsContext,
) => Record<string, unknown>;

export function createContext(options: {
  service: AwsService;
  operation: string;
  world: World;
  emptyPage: boolean;
  asyncFailure?: boolean;
}): AwsContext {
  return {
    ...options,
    asyncFailure: options.asyncFailure ?? false,
    validator: input => new Validator(options.service, input),
    page: (items, pageOptions) =>
      paginate(items, {
        ...pageOptions,
        service: options.service,
        emptyPage: options.emptyPage,
        scope: `${options.operation}|${pageOptions.scope}`,
      }),
  };
}

/** Epoch seconds (JSON number), the awsJson1_1 timestamp form. */
export const epoch = (ms: number) => Math.round(ms) / 1000;

/** Drops undefined members: real services omit what has no value. */
export function compact<T extends Record<string, unknown>>(value: T): T {
  for (const key of Object.keys(value)) {
    if (value[key] === undefined) delete value[key];
  }
  return value;
}
