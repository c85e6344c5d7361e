import { tagValueToEntityRef } from './entityRefs';

describe('tagValueToEntityRef', () => {
  it.each([
    ['backend-team', 'group:default/backend-team'],
    ['Backend Team', 'group:default/backend_team'],
    ['group:default/x', 'group:default/x'],
    ['default/x', 'group:default/x'],
    ['user:y', 'user:default/y'],
    ['component:z', undefined],
    ['', undefined],
    ['???', undefined],
    [`${'a'.repeat(64)}`, undefined],
  ])('%p → %p', (value, expected) => {
    expect(tagValueToEntityRef(value, 'group', ['group', 'user'])).toBe(
      expected,
    );
  });
});
