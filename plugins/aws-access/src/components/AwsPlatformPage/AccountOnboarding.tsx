import { InfoCard, Progress } from '@backstage/core-components';
import { usePermission } from '@backstage/plugin-permission-react';
import type { AccountCompliance } from '@aws-access/plugin-aws-access-common';
import { awsAccessAssignmentWritePermission } from '@aws-access/plugin-aws-access-common';
import { useState } from 'react';
import { useOnboarding } from '../../hooks';
import { AccessErrorPanel, useFormat } from '../shared';
import { BaselineSummary } from './BaselineSummary';
import { ComplianceTable } from './ComplianceTable';
import { OnboardingPlanDialog } from './OnboardingPlanDialog';

/**
 * "Account onboarding" on the platform board: the baseline in short, configuration problems, every account's
 * compliance (non-compliant first) and, per account, the plan review and apply dialog. Applying is offered to
 * people with `aws-access.assignment.write` when the backend has write credentials (`canApply`); the backend
 * enforces both.
 */
export function AccountOnboarding() {
  const { t } = useFormat();
  const { overview, loading, error, retry } = useOnboarding();
  const write = usePermission({
    permission: awsAccessAssignmentWritePermission,
  });
  const [selected, setSelected] = useState<AccountCompliance>();

  return (
    <InfoCard
      title={t('onboarding.title')}
      subheader={t('onboarding.subheader')}
    >
      <div data-testid="onboarding">
        {overview && (
          <>
            <BaselineSummary overview={overview} />
            <ComplianceTable
              accounts={overview.accounts}
              onReview={setSelected}
            />
          </>
        )}
        {!overview && error && (
          <AccessErrorPanel
            error={error}
            onRetry={retry}
            variant="card"
            forbiddenHint={t('onboarding.forbiddenHint')}
          />
        )}
        {!overview && !error && loading && <Progress />}
      </div>
      {selected && overview && (
        <OnboardingPlanDialog
          row={selected}
          canApply={overview.canApply}
          canWrite={write.allowed}
          permissionLoading={write.loading}
          onClose={() => setSelected(undefined)}
          onChanged={retry}
        />
      )}
    </InfoCard>
  );
}
