import { InfoCard } from '@backstage/core-components';
import type { AccessRequest } from '@aws-access/plugin-aws-access-common';
import { useCallback } from 'react';
import { useRequestAction, useRequestList } from '../../hooks';
import { useFormat } from '../shared';
import { RequestAccessButton } from './RequestAccessButton';
import { RequestListBody } from './RequestListBody';

/**
 * *My requests*: the signed-in person's requests with live state (followed while in flight), expiry countdown,
 * history, and *Cancel*, *Revoke now* and *Retry* where the backend allows them; *Request access* in the header.
 * Renders nothing when access requests are not configured. `onChange` hears when a request moved (to reload the
 * grants it affects).
 */
export function MyRequestsCard(props: {
  onChange?(): void;
  openRequestId?: string;
}) {
  const { onChange, openRequestId } = props;
  const { t } = useFormat();
  const list = useRequestList('mine', { onChange });
  const reload = list.retry;
  const action = useRequestAction(reload);
  const submitted = useCallback(
    (_request: AccessRequest) => reload(),
    [reload],
  );

  if (list.notConfigured) {
    return null;
  }
  return (
    <InfoCard
      title={t('requests.mine.title')}
      action={<RequestAccessButton onSubmitted={submitted} />}
    >
      <div data-testid="my-requests">
        <RequestListBody
          list={list}
          action={action}
          empty={{ testId: 'no-requests', text: t('requests.mine.empty') }}
          ariaLabel={t('requests.mine.title')}
          openRequestId={openRequestId}
        />
      </div>
    </InfoCard>
  );
}
