import Alert from '@material-ui/lab/Alert';
import type { ProvisionResult } from '@aws-access/plugin-aws-access-common';
import { useFormat } from './useFormat';

const SEVERITY = {
  success: 'success',
  skipped: 'info',
  failure: 'error',
} as const;

/** What provision-on-demand did: success, skipped and why, or failure, in Entra's words. */
export function ProvisionResultAlert(props: { result: ProvisionResult }) {
  const { result } = props;
  const { t } = useFormat();
  const name = result.user.displayName;
  const message = result.message ?? '';
  const deprovision = result.action === 'deprovision';
  let text: string;
  if (result.outcome === 'success') {
    text = deprovision
      ? t('provision.deprovisionSuccess', { name, message })
      : t('provision.success', { name, message });
  } else if (result.outcome === 'skipped') {
    text = deprovision
      ? t('provision.deprovisionSkipped', { name, message })
      : t('provision.skipped', { name, message });
  } else {
    text = deprovision
      ? t('provision.deprovisionFailure', { name, message })
      : t('provision.failure', { name, message });
  }
  return (
    <Alert
      severity={SEVERITY[result.outcome]}
      data-testid="provision-result"
      data-outcome={result.outcome}
    >
      {text.trim()}
    </Alert>
  );
}
