import type { LoggerService } from '@backstage/backend-plugin-api';

export interface LogRecord {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  meta: Record<string, unknown>;
}

/** A logger (and root logger) that records every line, children included, for assertions. */
export function createCapturingLogger(
  records: LogRecord[] = [],
  fields: Record<string, unknown> = {},
): LoggerService & { records: LogRecord[] } {
  const log =
    (level: LogRecord['level']) =>
    (message: string, meta?: Error | Record<string, unknown>) => {
      records.push({
        level,
        message,
        meta: {
          ...fields,
          ...(meta instanceof Error ? { error: meta } : meta ?? {}),
        },
      });
    };
  return {
    records,
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    child: (meta: Record<string, unknown>) =>
      createCapturingLogger(records, { ...fields, ...meta }),
  };
}
