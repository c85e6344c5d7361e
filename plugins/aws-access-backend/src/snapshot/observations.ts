import { AccessIndex } from './AccessIndex';
import { SyncObservation } from './model';

const MAX_EVENTS = 100_000;

/**
 * The grant changes between two snapshots, as our sync saw them at `at` ("seen active in AWS", "gone from
 * AWS"), appended to what earlier runs observed and trimmed to the lookback. Nothing is recorded on the first
 * snapshot: everything would look new.
 */
export function observeTransitions(options: {
  previous?: AccessIndex;
  next: AccessIndex;
  at: string;
  lookbackMs: number;
}): SyncObservation[] {
  const { previous, next, at } = options;
  const kept = (previous?.snapshot.syncEvents ?? []).filter(e => Date.parse(e.at) >= Date.parse(at) - options.lookbackMs);
  if (!previous) return kept;
  const before = new Map<string, SyncObservation['from']>();
  for (const person of previous.persons) {
    for (const grant of person.grants) before.set(`${person.key}|${grant.accountId}|${grant.permissionSetArn}`, grant.baseState);
  }
  const events: SyncObservation[] = [];
  for (const person of next.persons) {
    for (const grant of person.grants) {
      const key = `${person.key}|${grant.accountId}|${grant.permissionSetArn}`;
      const from = before.get(key) ?? 'none';
      before.delete(key);
      if (from !== grant.baseState) {
        events.push({ at, personKey: person.key, accountId: grant.accountId, permissionSetArn: grant.permissionSetArn, from, to: grant.baseState });
      }
    }
  }
  for (const [key, from] of before) {
    const [personKey, accountId, permissionSetArn] = key.split('|');
    events.push({ at, personKey, accountId, permissionSetArn, from, to: 'none' });
  }
  return [...kept, ...events].slice(-MAX_EVENTS);
}
