import { MINI_NOW, miniSnapshot } from './__fixtures__/miniSnapshot';
import {
  olderSide,
  personReadSince,
  withPersonRead,
  withSideRead,
} from './freshness';

const at = (minutes: number) =>
  new Date(MINI_NOW.getTime() + minutes * 60_000).toISOString();

describe('snapshot freshness', () => {
  it('moves one side on its read, never back, and calls the other the older', () => {
    const refreshed = withSideRead(miniSnapshot(), 'identity', at(5));
    expect(refreshed.sidesReadAt).toEqual({ identity: at(5), aws: at(0) });
    expect(olderSide(refreshed)).toEqual({ side: 'aws', at: at(0) });
    // A read that began before the recorded one (a slow refresh) does not move it back.
    expect(withSideRead(refreshed, 'identity', at(3)).sidesReadAt).toEqual({
      identity: at(5),
      aws: at(0),
    });
    // Read together, AWS is named: neither is older.
    expect(olderSide(miniSnapshot())).toEqual({ side: 'aws', at: at(0) });
  });

  it('keeps a person read only while it is newer than the older side', () => {
    const person = withPersonRead(miniSnapshot(), 'u-maria', at(2));
    expect(person.peopleReadAt).toEqual({ 'u-maria': at(2) });
    expect(personReadSince(person, 'u-maria', at(1))).toBe(true);
    expect(personReadSince(person, 'u-tom', at(1))).toBe(false);
    // Entra read whole later: AWS is still older than the person's read, which stays.
    const identity = withSideRead(person, 'identity', at(4));
    expect(identity.peopleReadAt).toEqual({ 'u-maria': at(2) });
    // Both sides read whole after it: it adds nothing and is dropped.
    const full = withSideRead(identity, 'aws', at(4));
    expect(full).not.toHaveProperty('peopleReadAt');
    expect(personReadSince(full, 'u-tom', at(1))).toBe(true);
  });
});
