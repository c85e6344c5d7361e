import Box from '@material-ui/core/Box';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import type {
  BaselinePair,
  BaselineRule,
  OnboardingOverview,
} from '@aws-access/plugin-aws-access-common';
import { useCallback } from 'react';
import { useFormat } from '../shared';

/**
 * `AWS-Developers-ReadOnly → DeveloperReadOnly`; `any group → DeveloperPowerUser` for `*`; `user breakglass →
 * DeveloperAdmin` for a forbidden pair held by a user.
 */
export function usePairLabel(): (
  pair: BaselinePair & { principalType?: 'GROUP' | 'USER' },
) => string {
  const { t } = useFormat();
  return useCallback(
    (pair: BaselinePair & { principalType?: 'GROUP' | 'USER' }) => {
      let group = pair.group;
      if (pair.principalType === 'USER') {
        group = t('onboarding.userPrincipal', { name: pair.group });
      } else if (pair.group === '*') {
        group = t('onboarding.anyGroup');
      }
      return t('onboarding.pair', {
        group,
        permissionSet: pair.permissionSet,
      });
    },
    [t],
  );
}

function RuleItem(props: { rule: BaselineRule }) {
  const { rule } = props;
  const { t } = useFormat();
  const pairLabel = usePairLabel();
  const selectors = [
    ...(rule.accounts.ouPath
      ? [t('onboarding.rules.ouPath', { value: rule.accounts.ouPath })]
      : []),
    ...(rule.accounts.name
      ? [t('onboarding.rules.name', { value: rule.accounts.name })]
      : []),
    ...Object.entries(rule.accounts.tags ?? {}).map(([key, value]) =>
      t('onboarding.rules.tag', { key, value }),
    ),
  ];
  const lines = [
    t('onboarding.rules.accounts', {
      selector: selectors.join(t('onboarding.rules.selectorSeparator')),
    }),
    ...(rule.require.length > 0
      ? [
          t('onboarding.rules.requires', {
            pairs: rule.require.map(pairLabel).join(', '),
          }),
        ]
      : []),
    ...(rule.forbid.length > 0
      ? [
          t('onboarding.rules.forbids', {
            pairs: rule.forbid.map(pairLabel).join(', '),
          }),
        ]
      : []),
  ];
  return (
    <ListItem
      disableGutters
      data-testid="onboarding-rule"
      data-rule={rule.name}
    >
      <ListItemText
        primary={rule.name}
        secondaryTypographyProps={{ component: 'div' }}
        secondary={lines.map((line, index) => (
          <Typography
            key={index}
            component="span"
            display="block"
            variant="body2"
            color="textSecondary"
          >
            {line}
          </Typography>
        ))}
      />
    </ListItem>
  );
}

/**
 * The baseline in short (each rule's account selector, required and forbidden pairs), the configuration problems
 * the backend found (unknown groups or permission sets) as an error, and whether applying is configured at all.
 */
export function BaselineSummary(props: { overview: OnboardingOverview }) {
  const { rules, problems, canApply } = props.overview;
  const { t } = useFormat();
  return (
    <>
      {problems.length > 0 && (
        <Box mb={2}>
          <Alert severity="error" data-testid="onboarding-problems">
            <AlertTitle>{t('onboarding.problemsTitle')}</AlertTitle>
            <Typography variant="body2">
              {t('onboarding.problemsHint')}
            </Typography>
            <List dense disablePadding>
              {problems.map((problem, index) => (
                <ListItem
                  key={index}
                  disableGutters
                  data-testid="onboarding-problem"
                >
                  <ListItemText primary={problem} />
                </ListItem>
              ))}
            </List>
          </Alert>
        </Box>
      )}
      {!canApply && (
        <Box mb={2}>
          <Alert severity="info" data-testid="onboarding-not-configured">
            {t('onboarding.notConfigured')}
          </Alert>
        </Box>
      )}
      <Typography variant="subtitle1">{t('onboarding.rules.title')}</Typography>
      {rules.length === 0 ? (
        <Typography
          variant="body2"
          color="textSecondary"
          data-testid="onboarding-no-rules"
        >
          {t('onboarding.rules.empty')}
        </Typography>
      ) : (
        <List dense disablePadding data-testid="onboarding-rules">
          {rules.map((rule, index) => (
            <RuleItem key={`${index}:${rule.name}`} rule={rule} />
          ))}
        </List>
      )}
    </>
  );
}
