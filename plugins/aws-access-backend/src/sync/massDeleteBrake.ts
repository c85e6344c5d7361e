/** The counts whose drop the mass-delete brake watches (`entraUsers`: the identity source's users). */
const BRAKE_COUNTS = [
  'accounts',
  'assignments',
  'identityCenterUsers',
  'entraUsers',
] as const;

/**
 * Why a new snapshot would lose too much (more than `threshold` of accounts, assignments or users, or all of a
 * non-empty set), or nothing when it may be committed. Like Entra's `TooManyDeletes`.
 */
export function massDeleteReasons(
  previous: Record<string, number> | undefined,
  next: Record<string, number>,
  threshold: number,
): string[] {
  if (!previous) return [];
  const reasons: string[] = [];
  for (const key of BRAKE_COUNTS) {
    const before = previous[key] ?? 0;
    const after = next[key] ?? 0;
    if (before === 0) continue;
    if (after === 0) {
      reasons.push(`${key} would drop from ${before} to 0`);
    } else if ((before - after) / before > threshold) {
      reasons.push(
        `${key} would drop by ${Math.round(
          ((before - after) / before) * 100,
        )} % (${before} → ${after}), more than ${Math.round(
          threshold * 100,
        )} %`,
      );
    }
  }
  return reasons;
}
