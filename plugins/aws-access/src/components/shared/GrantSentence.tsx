import Typography from '@material-ui/core/Typography';
import type {
  Grant,
  GrantRequestRef,
} from '@aws-access/plugin-aws-access-common';
import {
  GrantState,
  isAwaitingDecision,
  isOpenRequestState,
  isInFlight,
  isRequestActive,
  isStuck,
} from '@aws-access/plugin-aws-access-common';
import { joinNames, pathsInState } from '../../lib/grants';
import { formatClockTime } from '../../lib/time';
import type { Format } from './useFormat';
import { useFormat } from './useFormat';

/** Who the sentence talks to: the person themselves ("You were added…") or someone looking at them. */
export interface SentenceContext {
  perspective: 'self' | 'other';
  /** The person's display name, for `other`. */
  name?: string;
  /** The provisioning job's next cycle, used when a grant has no `expectedBy`. */
  nextCycleAt?: string;
  /** Set when the provisioning job is quarantined. */
  quarantineReason?: string;
}

/** Whether a grant has something to say: it is not simply active, or an access request with an expiry is behind it. */
export function hasGrantSentence(grant: Grant): boolean {
  return (
    grant.state !== GrantState.active ||
    (!!grant.request?.expiresAt && isRequestActive(grant.request.state))
  );
}

type T = Format['t'];

/**
 * For a grant an access request caused: "waiting for approval", "approved by Maria 10:02, AWS expected by
 * ≈ 10:04", or, once active, when it ends. Undefined when the request says nothing the grant's own sentence
 * does not.
 */
function requestSentence(
  t: T,
  grant: Grant,
  request: GrantRequestRef,
  expected: string | undefined,
): string | undefined {
  if (isAwaitingDecision(request.state)) {
    return t('requests.grantSentence.waiting', {
      group: joinNames(grant.via.map(path => path.name)),
    });
  }
  if (isRequestActive(request.state) && request.expiresAt) {
    return t('requests.grantSentence.expires', {
      time: formatClockTime(request.expiresAt),
    });
  }
  if (
    isInFlight(grant.state) &&
    isOpenRequestState(request.state) &&
    request.approvedBy.length > 0
  ) {
    const names = joinNames(
      request.approvedBy.map(
        (ref, index) => request.approvedByNames?.[index] ?? ref,
      ),
    );
    const approvedAt = request.approvedAt
      ? formatClockTime(request.approvedAt)
      : '';
    return expected
      ? t('requests.grantSentence.approved', {
          names,
          approvedAt,
          time: formatClockTime(expected),
        })
      : t('requests.grantSentence.approvedNoTime', { names, approvedAt });
  }
  return undefined;
}

function pendingSentence(
  t: T,
  grant: Grant,
  context: SentenceContext,
  time?: string,
) {
  const name = context.name ?? '';
  const groups = joinNames(
    pathsInState(grant, [GrantState.pending, GrantState.stuck]).map(
      path => path.name,
    ),
  );
  if (context.perspective === 'self') {
    return time
      ? t('sentences.pendingSelf', { groups, time })
      : t('sentences.pendingSelfNoTime', { groups });
  }
  return time
    ? t('sentences.pendingOther', { name, groups, time })
    : t('sentences.pendingOtherNoTime', { name, groups });
}

function stuckSentence(t: T, grant: Grant, context: SentenceContext) {
  if (context.quarantineReason) {
    return t('sentences.stuckQuarantined', {
      reason: context.quarantineReason,
    });
  }
  const groups = joinNames(
    pathsInState(grant, [GrantState.stuck, GrantState.pending]).map(
      path => path.name,
    ),
  );
  return context.perspective === 'self'
    ? t('sentences.stuckSelf', { groups })
    : t('sentences.stuckOther', { name: context.name ?? '', groups });
}

function revokingSentence(t: T, context: SentenceContext) {
  const name = context.name ?? '';
  // Removal waits for the provisioning job, so its next cycle is the time to give.
  const cycle = context.nextCycleAt
    ? formatClockTime(context.nextCycleAt)
    : undefined;
  if (context.perspective === 'self') {
    return cycle
      ? t('sentences.revokingSelf', { time: cycle })
      : t('sentences.revokingSelfNoTime');
  }
  return cycle
    ? t('sentences.revokingOther', { name, time: cycle })
    : t('sentences.revokingOtherNoTime', { name });
}

function nestedSentence(t: T, grant: Grant, context: SentenceContext) {
  const nestedPaths = grant.via.filter(path => path.type === 'nested-group');
  const paths = nestedPaths.length > 0 ? nestedPaths : grant.via;
  const nested = joinNames(paths.map(path => path.name));
  const target = joinNames(paths.map(path => path.through?.name ?? path.name));
  return context.perspective === 'self'
    ? t('sentences.nestedSelf', { nested, target })
    : t('sentences.nestedOther', { name: context.name ?? '', nested, target });
}

/** What the grant's own state says: why it is not active yet, or not any more. */
function stateSentence(
  t: T,
  grant: Grant,
  context: SentenceContext,
  expected: string | undefined,
): string | undefined {
  switch (grant.state) {
    case GrantState.pending:
      return pendingSentence(
        t,
        grant,
        context,
        expected ? formatClockTime(expected) : undefined,
      );
    case GrantState.stuck:
      return stuckSentence(t, grant, context);
    case GrantState.revoking:
      return revokingSentence(t, context);
    case GrantState.unsupportedNesting:
      return nestedSentence(t, grant, context);
    default:
      return undefined;
  }
}

/**
 * A plain sentence for a grant that is not simply active: what happened and what to do; for a grant an access
 * request caused, what the request says (approved by whom, when AWS should show it, when it ends). Renders
 * nothing for active grants without a request.
 */
export function GrantSentence(props: {
  grant: Grant;
  context: SentenceContext;
}) {
  const { grant, context } = props;
  const { t } = useFormat();
  const expected = grant.expectedBy ?? context.nextCycleAt;
  const sentence =
    (grant.request
      ? requestSentence(t, grant, grant.request, expected)
      : undefined) || stateSentence(t, grant, context, expected);

  if (!sentence) {
    return null;
  }
  return (
    <Typography
      variant="body2"
      color={isStuck(grant.state) ? 'error' : 'textSecondary'}
      data-testid="grant-sentence"
      data-state={grant.state}
    >
      {sentence}
    </Typography>
  );
}
