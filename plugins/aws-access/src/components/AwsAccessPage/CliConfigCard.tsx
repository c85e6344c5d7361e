import { CodeSnippet, InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import GetAppIcon from '@material-ui/icons/GetApp';
import { useMyAwsCliConfig } from '../../hooks';
import { AccessErrorPanel, useFormat } from '../shared';

/** Up to this many grants the config is shown to copy; beyond, it is only downloaded (a power user's is a megabyte). */
export const CLI_CONFIG_SHOWN_UP_TO_GRANTS = 25;

/**
 * The person's `~/.aws/config`, read from its own route: a download for everyone, and the text to copy for
 * people with at most {@link CLI_CONFIG_SHOWN_UP_TO_GRANTS} grants (`grants`: all of theirs, not a page's).
 */
export function CliConfigCard(props: { grants: number }) {
  const { t } = useFormat();
  const shown = props.grants <= CLI_CONFIG_SHOWN_UP_TO_GRANTS;
  const { config, error, downloading, download } = useMyAwsCliConfig(shown);
  return (
    <InfoCard title={t('myAccess.cliConfigTitle')}>
      <Typography variant="body2" paragraph>
        {t(shown ? 'myAccess.cliConfigHint' : 'myAccess.cliConfigDownloadHint')}
      </Typography>
      <Box mb={shown ? 2 : 0}>
        <Button
          variant="outlined"
          color="primary"
          startIcon={<GetAppIcon />}
          onClick={() => download()}
          disabled={downloading}
          data-testid="aws-cli-config-download"
        >
          {t('myAccess.cliConfigDownload')}
        </Button>
      </Box>
      {shown && config !== undefined && (
        <div data-testid="aws-cli-config">
          <CodeSnippet text={config} language="ini" showCopyCodeButton />
        </div>
      )}
      {error && <AccessErrorPanel error={error} variant="card" />}
    </InfoCard>
  );
}
