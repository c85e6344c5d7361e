import type {
  TranslationFunction,
  TranslationRef,
} from '@backstage/core-plugin-api/alpha';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import type {
  GrantPath,
  GrantState,
} from '@aws-access/plugin-aws-access-common';
import { grantStateKey } from '@aws-access/plugin-aws-access-common';
import { useCallback, useMemo } from 'react';
import { awsAccessTranslationRef } from '../../translation';
import { durationParts, exactDurationParts } from '../../lib/time';

type AwsAccessMessages = typeof awsAccessTranslationRef extends TranslationRef<
  string,
  infer TMessages
>
  ? TMessages
  : never;

/** The translation function and the labels every component needs. */
export interface Format {
  t: TranslationFunction<AwsAccessMessages>;
  /** `5 hours` for seconds (rounded to a readable unit). */
  duration(seconds: number): string;
  /** `1 hour`, `90 minutes`, `7 days`: exact, for durations a policy names. */
  exactDuration(seconds: number): string;
  /** `Being removed` for `revoking`. */
  stateLabel(state: GrantState): string;
  /** `AWS-Developers-ReadOnly (being removed)`. */
  pathLabel(path: GrantPath): string;
  /** `via AWS-Developers-PowerUser (active), AWS-Developers-ReadOnly (being removed)`. */
  via(paths: GrantPath[]): string;
}

/** Translated labels shared by the components. */
export function useFormat(): Format {
  const { t } = useTranslationRef(awsAccessTranslationRef);

  const duration = useCallback(
    (seconds: number) => {
      const { unit, count } = durationParts(seconds);
      return t(`duration.${unit}`, { count });
    },
    [t],
  );

  const exactDuration = useCallback(
    (seconds: number) => {
      const { unit, count } = exactDurationParts(seconds);
      return t(`duration.${unit}`, { count });
    },
    [t],
  );

  const stateLabel = useCallback(
    (state: GrantState) => t(`states.${grantStateKey(state)}`),
    [t],
  );

  const pathLabel = useCallback(
    (path: GrantPath) => {
      let name = path.name;
      if (path.type === 'user') {
        name = t('common.directAssignment');
      } else if (path.type === 'nested-group' && path.through) {
        name = t('common.nestedPath', {
          nested: path.name,
          through: path.through.name,
        });
      }
      return t('common.pathWithState', {
        name,
        state: t(`pathStates.${grantStateKey(path.state)}`),
      });
    },
    [t],
  );

  /** `via AWS-Developers-PowerUser (active), AWS-Developers-ReadOnly (being removed)`. */
  const via = useCallback(
    (paths: GrantPath[]) =>
      paths.length > 0
        ? t('common.via', { paths: paths.map(pathLabel).join(', ') })
        : '',
    [t, pathLabel],
  );

  return useMemo(
    () => ({ t, duration, exactDuration, stateLabel, pathLabel, via }),
    [t, duration, exactDuration, stateLabel, pathLabel, via],
  );
}
