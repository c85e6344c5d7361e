import Typography from '@material-ui/core/Typography';
import type { PrincipalsHidden } from '@aws-access/plugin-aws-access-common';
import { useFormat } from './useFormat';

/**
 * What a reduced view of who holds what leaves out ("3 more assignments, 2 principals (hidden)"), under the
 * caller's own rows. The backend sends it only to callers who may not list every principal.
 */
export function PrincipalsHiddenNote(props: {
  hidden: PrincipalsHidden & { people?: number };
  scope: 'account' | 'permissionSet';
}) {
  const { hidden, scope } = props;
  const { t } = useFormat();
  const assignments = t('accountCard.hiddenAssignments', {
    count: hidden.assignments,
  });
  const principals = t('accountCard.hiddenPrincipals', {
    count: hidden.principals,
  });
  const text =
    scope === 'permissionSet'
      ? t('permissionSetCard.principalsHidden', { assignments, principals })
      : t('accountCard.principalsHidden', {
          what: [
            `${assignments}, ${principals}`,
            ...(hidden.people
              ? [t('accountCard.hiddenPeople', { count: hidden.people })]
              : []),
          ].join('; '),
        });
  return (
    <Typography
      variant="body2"
      color="textSecondary"
      data-testid="principals-hidden"
    >
      {text}
    </Typography>
  );
}
