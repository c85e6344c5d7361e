import { InfoCard, Progress } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import type {
  Diagnosis,
  DiagnosisFinding,
} from '@aws-access/plugin-aws-access-common';
import type { FormEvent } from 'react';
import { useState } from 'react';
import { AccessErrorPanel, useFormat } from '../shared';

const ACCOUNT_ID = /^\d{12}$/;
const SEVERITY: Record<
  DiagnosisFinding['severity'],
  'success' | 'info' | 'warning' | 'error'
> = {
  ok: 'success',
  info: 'info',
  warning: 'warning',
  error: 'error',
};

const useStyles = makeStyles({
  finding: { width: '100%' },
  fix: { display: 'block' },
});

function FindingItem(props: { finding: DiagnosisFinding }) {
  const { finding } = props;
  const { t } = useFormat();
  const classes = useStyles();
  return (
    <ListItem
      data-testid="diagnosis-finding"
      data-code={finding.code}
      disableGutters
    >
      <Alert severity={SEVERITY[finding.severity]} className={classes.finding}>
        <ListItemText
          primary={finding.title}
          secondary={
            <>
              <span>{finding.detail}</span>
              {finding.fix && (
                <span className={classes.fix}>
                  {t('platform.fix', { fix: finding.fix })}
                </span>
              )}
            </>
          }
        />
      </Alert>
    </ListItem>
  );
}

/** Whether the user has access, then every finding of the walk in order. */
function DiagnosisResult(props: { diagnosis: Diagnosis }) {
  const { diagnosis } = props;
  const { t } = useFormat();
  const names = {
    user: diagnosis.user.displayName,
    account: diagnosis.account.name,
  };
  return (
    <Box mt={2} data-testid="diagnosis">
      <Alert
        severity={diagnosis.hasAccess ? 'success' : 'warning'}
        data-testid="diagnosis-summary"
      >
        {diagnosis.hasAccess
          ? t('platform.hasAccess', names)
          : t('platform.noAccess', names)}
      </Alert>
      <List dense>
        {diagnosis.findings.map(finding => (
          <FindingItem key={finding.code} finding={finding} />
        ))}
      </List>
    </Box>
  );
}

/** One required field of the form, side by side with the other. */
function DiagnoseField(props: {
  id: string;
  label: string;
  helperText: string;
  value: string;
  onChange: (value: string) => void;
  error?: boolean;
  numeric?: boolean;
}) {
  const { onChange, numeric, ...field } = props;
  return (
    <Box mr={2} mb={1}>
      <TextField
        {...field}
        onChange={event => onChange(event.target.value)}
        required
        variant="outlined"
        size="small"
        inputProps={numeric ? { inputMode: 'numeric' } : undefined}
      />
    </Box>
  );
}

/** The user and account fields; the account must be a 12-digit id before the walk is asked for. */
function DiagnoseFields(props: {
  onDiagnose: (user: string, account: string) => void;
  loading: boolean;
}) {
  const { onDiagnose, loading } = props;
  const { t } = useFormat();
  const [user, setUser] = useState('');
  const [account, setAccount] = useState('');
  const [touched, setTouched] = useState(false);
  const accountInvalid = touched && !ACCOUNT_ID.test(account.trim());

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (user.trim() && ACCOUNT_ID.test(account.trim())) {
      onDiagnose(user.trim(), account.trim());
    }
  };

  return (
    <form
      onSubmit={submit}
      aria-label={t('platform.diagnoseTitle')}
      data-testid="diagnose-form"
      noValidate
    >
      <Box display="flex" flexWrap="wrap" alignItems="flex-start">
        <DiagnoseField
          id="aws-access-diagnose-user"
          label={t('platform.diagnoseUser')}
          helperText={t('platform.diagnoseUserHelp')}
          value={user}
          onChange={setUser}
        />
        <DiagnoseField
          id="aws-access-diagnose-account"
          label={t('platform.diagnoseAccount')}
          helperText={
            accountInvalid
              ? t('platform.diagnoseAccountInvalid')
              : t('platform.diagnoseAccountHelp')
          }
          error={accountInvalid}
          value={account}
          onChange={setAccount}
          numeric
        />
        <Button
          type="submit"
          variant="contained"
          color="primary"
          disabled={loading}
        >
          {t('platform.diagnose')}
        </Button>
      </Box>
    </form>
  );
}

/**
 * "Diagnose access": a user and an account in, the ordered findings of the troubleshooting walk out.
 */
export function DiagnoseForm(props: {
  onDiagnose: (user: string, account: string) => void;
  diagnosis?: Diagnosis;
  loading: boolean;
  error?: Error;
}) {
  const { onDiagnose, diagnosis, loading, error } = props;
  const { t } = useFormat();
  return (
    <InfoCard title={t('platform.diagnoseTitle')}>
      <Typography variant="body2" paragraph>
        {t('platform.diagnoseHint')}
      </Typography>
      <DiagnoseFields onDiagnose={onDiagnose} loading={loading} />
      {loading && <Progress />}
      {error && <AccessErrorPanel error={error} variant="card" />}
      {diagnosis && !loading && <DiagnosisResult diagnosis={diagnosis} />}
    </InfoCard>
  );
}
