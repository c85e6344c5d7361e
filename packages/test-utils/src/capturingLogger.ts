import type { LoggerService } from '@backstage/backend-plugin-api';

/** One line a capturing logger recorded. */
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

/** Everything a log line carries, as text: message, fields, and errors with their causes and stacks. */
export function logText(record: LogRecord): string {
  const seen = new Set<unknown>();
  const flatten = (value: unknown): string => {
    if (value === null || value === undefined) return '';
    if (typeof value !== 'object') return String(value);
    if (seen.has(value)) return '';
    seen.add(value);
    if (value instanceof Error || (value as { stack?: unknown }).stack) {
      const error = value as Error & { cause?: unknown };
      return [
        error.name,
        error.message,
        error.stack,
        flatten(error.cause),
        ...Object.values(error).map(flatten),
      ].join(' ');
    }
    return Object.entries(value as object)
      .map(([k, v]) => `${k}=${flatten(v)}`)
      .join(' ');
  };
  return `${record.level} ${record.message} ${flatten(record.meta)}`;
}
