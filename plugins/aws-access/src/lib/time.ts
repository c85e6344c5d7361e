/*
 * Time formatting for the UI. Pure functions; all output is in the browser's local time zone.
 */

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

function parse(iso: string): Date | undefined {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** `13:20` (24-hour, local time) for an ISO timestamp; the input unchanged when it is not a date. */
export function formatClockTime(iso: string): string {
  const date = parse(iso);
  return date ? `${pad(date.getHours())}:${pad(date.getMinutes())}` : iso;
}

/** `2026-11-30 13:20` (local time) for an ISO timestamp; the input unchanged when it is not a date. */
export function formatDateTime(iso: string): string {
  const date = parse(iso);
  if (!date) {
    return iso;
  }
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(
    date.getDate(),
  )} ${formatClockTime(iso)}`;
}

/** A duration in the largest unit that keeps it readable. */
export interface DurationParts {
  unit: 'seconds' | 'minutes' | 'hours' | 'days';
  count: number;
}

/** Splits seconds into a count and a unit: < 90 s in seconds, < 90 min in minutes, < 48 h in hours, else days. */
export function durationParts(totalSeconds: number): DurationParts {
  const seconds = Math.max(0, Math.round(totalSeconds));
  if (seconds < 90) {
    return { unit: 'seconds', count: seconds };
  }
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) {
    return { unit: 'minutes', count: minutes };
  }
  const hours = Math.round(seconds / 3600);
  if (hours < 48) {
    return { unit: 'hours', count: hours };
  }
  return { unit: 'days', count: Math.round(seconds / 86400) };
}

/** Splits seconds into the largest unit that divides them exactly: 3600 → 1 hour, 5400 → 90 minutes (for policies). */
export function exactDurationParts(totalSeconds: number): DurationParts {
  const seconds = Math.max(0, Math.round(totalSeconds));
  if (seconds > 0 && seconds % 86400 === 0) {
    return { unit: 'days', count: seconds / 86400 };
  }
  if (seconds > 0 && seconds % 3600 === 0) {
    return { unit: 'hours', count: seconds / 3600 };
  }
  if (seconds > 0 && seconds % 60 === 0) {
    return { unit: 'minutes', count: seconds / 60 };
  }
  return { unit: 'seconds', count: seconds };
}

/** Seconds from `fromIso` to `toIso` (or to now). */
export function secondsBetween(
  fromIso: string,
  toIso?: string,
  now: () => number = Date.now,
): number {
  const from = parse(fromIso);
  const to = toIso ? parse(toIso) : new Date(now());
  if (!from || !to) {
    return 0;
  }
  return (to.getTime() - from.getTime()) / 1000;
}

/**
 * Seconds of an ISO 8601 duration such as `PT4H`, `PT1H30M` or `P1D`; undefined when it cannot be read.
 * Years and months are not used by permission sets and are not supported.
 */
export function parseIsoDuration(duration: string): number | undefined {
  const match =
    /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(
      duration.trim(),
    );
  if (!match || duration.trim() === 'P' || duration.trim().endsWith('T')) {
    return undefined;
  }
  const [, days, hours, minutes, seconds] = match;
  return (
    Number(days ?? 0) * 86400 +
    Number(hours ?? 0) * 3600 +
    Number(minutes ?? 0) * 60 +
    Number(seconds ?? 0)
  );
}

/** `4 h`, `1 h 30 min`, `12 h`: a compact, language-neutral session length; the input when it cannot be read. */
export function formatSessionDuration(duration: string): string {
  const seconds = parseIsoDuration(duration);
  if (seconds === undefined) {
    return duration;
  }
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.round((seconds % 3600) / 60);
  if (hours && minutes) {
    return `${hours} h ${minutes} min`;
  }
  if (hours) {
    return `${hours} h`;
  }
  return `${minutes} min`;
}
