import type { Config } from '@backstage/config';
import { readDurationFromConfig } from '@backstage/config';
import type { HumanDuration } from '@backstage/types';
import { durationToMilliseconds } from '@backstage/types';

/** A configuration problem, naming the key and how to fix it. */
export class AwsAccessConfigError extends Error {
  constructor(key: string, problem: string, fix: string) {
    super(`Invalid configuration at ${key}: ${problem}. ${fix}`);
    this.name = 'AwsAccessConfigError';
  }
}

export const ACCOUNT_ID = /^\d{12}$/;
export const ROLE_ARN =
  /^arn:aws(-[a-z]{1,5}){0,3}:iam::\d{12}:role\/[\w+=,.@/-]+$/;

export function optionalString(
  config: Config,
  key: string,
  pattern: RegExp,
  fix: string,
  prefix: string,
) {
  const value = config.getOptionalString(key);
  if (value !== undefined && !pattern.test(value)) {
    throw new AwsAccessConfigError(
      `${prefix}.${key}`,
      `"${value}" is not valid`,
      fix,
    );
  }
  return value;
}

export function httpsUrl(
  config: Config,
  key: string,
  fallback: string,
  prefix: string,
  allowHttp = false,
): string {
  const value = config.getOptionalString(key) ?? fallback;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new AwsAccessConfigError(
      `${prefix}.${key}`,
      `"${value}" is not a URL`,
      'Use an absolute https URL.',
    );
  }
  if (url.protocol !== 'https:' && !(allowHttp && url.protocol === 'http:')) {
    throw new AwsAccessConfigError(
      `${prefix}.${key}`,
      `"${value}" must use https`,
      'Use an https URL: the clouds answer nothing else.',
    );
  }
  return value.replace(/\/+$/, '');
}

export function duration(
  config: Config,
  key: string,
  fallback: HumanDuration,
): number {
  if (!config.has(key)) return durationToMilliseconds(fallback);
  // durationToMilliseconds never throws: a string, a misspelt unit or a text value would silently become 0 or NaN.
  let ms: number;
  try {
    ms = durationToMilliseconds(readDurationFromConfig(config, { key }));
  } catch (error) {
    throw new AwsAccessConfigError(
      `awsAccess.${key}`,
      `is not a duration (${(error as Error).message})`,
      'Use an object like { minutes: 30 } or an ISO 8601 duration like PT30M.',
    );
  }
  if (!(ms >= 0)) {
    throw new AwsAccessConfigError(
      `awsAccess.${key}`,
      `must not be negative, got ${ms} ms`,
      'Use an object like { minutes: 30 }.',
    );
  }
  return ms;
}

export function positive(
  config: Config,
  key: string,
  fallback: number,
  prefix: string,
): number {
  const value = config.getOptionalNumber(key) ?? fallback;
  if (!(value > 0)) {
    throw new AwsAccessConfigError(
      `${prefix}.${key}`,
      `must be greater than 0, got ${value}`,
      'Use a positive number.',
    );
  }
  return value;
}
