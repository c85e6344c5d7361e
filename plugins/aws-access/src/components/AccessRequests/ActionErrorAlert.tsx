import Alert from '@material-ui/lab/Alert';
import { describeError } from '../../lib/errors';

/** A refused or failed action (409 from the wrong state, 403, …) in the backend's words. */
export function ActionErrorAlert(props: { error: Error }) {
  return (
    <Alert severity="error" data-testid="request-action-error">
      {describeError(props.error).message}
    </Alert>
  );
}
