import { InputError } from '@backstage/errors';
import type { CreateAccessRequest } from '@aws-access/plugin-aws-access-common';
import type { GovernancePolicy } from './governanceConfig';
import { isoDurationMs } from './governanceConfig';

/** A 400 about one input field, carrying the field's name for a form (`ErrorResponseBody.error.field`). */
export function fieldError(field: string, problem: string): InputError {
  return Object.assign(new InputError(`Invalid ${field}: ${problem}`), {
    field,
  });
}

/** What a valid submission stores, after the policy's defaults. */
export interface CheckedSubmission {
  duration?: string;
  justification?: string;
  ticket?: string;
}

/**
 * Checks a submission's fields against its policy: the duration (the policy's default when none is named; at
 * most `maxDuration`; standing access only where there is no ceiling), the justification and the ticket.
 */
export function checkSubmission(
  body: CreateAccessRequest,
  policy: GovernancePolicy,
): CheckedSubmission {
  const duration =
    body.duration?.trim() || policy.defaultDuration || policy.maxDuration;
  if (duration !== undefined) {
    const ms = isoDurationMs(duration);
    if (ms === undefined) {
      throw fieldError(
        'duration',
        `${JSON.stringify(
          duration,
        )} is not a positive ISO 8601 duration (like PT1H or PT30M)`,
      );
    }
    if (policy.maxDuration && ms > isoDurationMs(policy.maxDuration)!) {
      throw fieldError(
        'duration',
        `${duration} is longer than this group's maximum of ${policy.maxDuration}`,
      );
    }
  }
  const justification = body.justification?.trim() || undefined;
  if (policy.justification === 'required' && !justification) {
    throw fieldError('justification', 'is required for this group');
  }
  const ticket = body.ticket?.trim() || undefined;
  if (policy.ticketPattern) {
    if (!ticket) {
      throw fieldError(
        'ticket',
        `is required for this group (matching ${policy.ticketPattern})`,
      );
    }
    if (!new RegExp(policy.ticketPattern).test(ticket)) {
      throw fieldError(
        'ticket',
        `${JSON.stringify(ticket)} does not match ${policy.ticketPattern}`,
      );
    }
  }
  return { duration, justification, ticket };
}
