import { Progress } from '@backstage/core-components';
import type { ReactNode } from 'react';
import { AccessErrorPanel } from './AccessErrorPanel';

/**
 * The body of an entity card fed by one request: the content once the data is there (kept while a refresh
 * fails), else the error with a retry, else progress while loading.
 */
export function CardBody<T>(props: {
  data: T | undefined;
  loading: boolean;
  error?: Error;
  onRetry: () => void;
  children: (data: T) => ReactNode;
}) {
  const { data, loading, error, onRetry, children } = props;
  if (data !== undefined) return <>{children(data)}</>;
  if (error)
    return <AccessErrorPanel error={error} onRetry={onRetry} variant="card" />;
  return loading ? <Progress /> : null;
}
