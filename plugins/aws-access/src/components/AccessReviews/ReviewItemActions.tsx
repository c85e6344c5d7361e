import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import type {
  ReviewDecision,
  ReviewItem,
} from '@aws-access/plugin-aws-access-common';
import { useState } from 'react';
import type { ReviewAction } from '../../hooks';
import { toEntityRef } from '../../lib/reviews';
import { useFormat } from '../shared';
import { ReviewNoteDialog } from './ReviewNoteDialog';

type Dialog = ReviewDecision | 'delegate';

/** Keep or remove with a note; removing names the access that another path keeps. */
function DecisionDialog(props: {
  item: ReviewItem;
  decision: ReviewDecision;
  onAction(action: ReviewAction): void;
  onClose(): void;
}) {
  const { item, decision, onAction, onClose } = props;
  const { t } = useFormat();
  const names = { member: item.member.displayName, group: item.group.name };
  const keptElsewhere = item.access
    .filter(access => access.alsoVia.length > 0)
    .map(access =>
      t('requests.grantOn', {
        permissionSet: access.permissionSet.name,
        account: access.accountName,
      }),
    );
  const description =
    decision === 'remove'
      ? [
          t('reviews.decisions.removeDescription'),
          keptElsewhere.length > 0
            ? t('reviews.decisions.removeKeeps', {
                grants: keptElsewhere.join(', '),
              })
            : '',
        ].join(' ')
      : undefined;
  return (
    <ReviewNoteDialog
      title={t(`reviews.decisions.${decision}Title`, names)}
      description={description}
      confirmLabel={t(`reviews.decisions.${decision}`)}
      danger={decision === 'remove'}
      onClose={onClose}
      onConfirm={note =>
        onAction({ kind: 'decide', itemId: item.id, decision, note })
      }
    />
  );
}

/** Hands the item to another person (a user entity ref or name) with a note. */
function DelegateDialog(props: {
  item: ReviewItem;
  onAction(action: ReviewAction): void;
  onClose(): void;
}) {
  const { item, onAction, onClose } = props;
  const { t } = useFormat();
  const [to, setTo] = useState('');
  return (
    <ReviewNoteDialog
      title={t('reviews.decisions.delegateTitle', {
        member: item.member.displayName,
        group: item.group.name,
      })}
      confirmLabel={t('reviews.decisions.delegate')}
      confirmDisabled={to.trim().length === 0}
      onClose={onClose}
      onConfirm={note =>
        onAction({
          kind: 'delegate',
          itemId: item.id,
          to: toEntityRef(to, 'user'),
          note,
        })
      }
    >
      <TextField
        id="aws-access-review-delegate-to"
        label={t('reviews.decisions.delegateTo')}
        helperText={t('reviews.decisions.delegateToHelp')}
        value={to}
        onChange={event => setTo(event.target.value)}
        fullWidth
        required
        margin="normal"
        variant="outlined"
      />
    </ReviewNoteDialog>
  );
}

/** Keep, Remove and Delegate for one item, as far as the backend lets the caller (`item.actions`). */
export function ReviewItemActions(props: {
  item: ReviewItem;
  disabled?: boolean;
  onAction(action: ReviewAction): void;
}) {
  const { item, disabled, onAction } = props;
  const { t } = useFormat();
  const [open, setOpen] = useState<Dialog>();
  const buttons: Dialog[] = [
    ...(item.actions.decide ? (['keep', 'remove'] as const) : []),
    ...(item.actions.delegate ? (['delegate'] as const) : []),
  ];
  if (buttons.length === 0) {
    return null;
  }
  const act = (action: ReviewAction) => {
    setOpen(undefined);
    onAction(action);
  };
  return (
    <Box display="flex" flexWrap="wrap" style={{ gap: 8 }}>
      {buttons.map(name => (
        <Button
          key={name}
          size="small"
          variant={name === 'delegate' ? 'text' : 'outlined'}
          color={name === 'remove' ? 'secondary' : 'primary'}
          disabled={disabled}
          aria-label={t('reviews.decisions.actionAria', {
            action: t(`reviews.decisions.${name}`),
            member: item.member.displayName,
          })}
          onClick={() => setOpen(name)}
        >
          {t(`reviews.decisions.${name}`)}
        </Button>
      ))}
      {open === 'delegate' && (
        <DelegateDialog
          item={item}
          onAction={act}
          onClose={() => setOpen(undefined)}
        />
      )}
      {(open === 'keep' || open === 'remove') && (
        <DecisionDialog
          item={item}
          decision={open}
          onAction={act}
          onClose={() => setOpen(undefined)}
        />
      )}
    </Box>
  );
}
