import {
  entraGroupEntityRef,
  entraUserEntityRef,
  normalizeEntityName,
} from './entityNames';

describe('entity names', () => {
  it.each([
    ['aamir@example.com', 'aamir_example.com'],
    ['  Shen.Li@Example.com ', 'shen.li_example.com'],
    ['a@@b', 'a_b'],
    ['trailing!!', 'trailing'],
    ['_leading', '_leading'],
    ['Ünïcode Nâme', '_n_code_n_me'],
  ])('normalizes %j to %j', (input, expected) => {
    expect(normalizeEntityName(input)).toBe(expected);
  });

  it('names users from mail, else userPrincipalName', () => {
    expect(
      entraUserEntityRef({
        mail: 'aamir@example.com',
        userPrincipalName: 'x@example.com',
      }),
    ).toBe('user:default/aamir_example.com');
    expect(
      entraUserEntityRef({ mail: null, userPrincipalName: 'noah@example.com' }),
    ).toBe('user:default/noah_example.com');
  });

  it('names security groups from displayName and others from mailNickname', () => {
    expect(
      entraGroupEntityRef({
        displayName: 'AWS-Developers-ReadOnly',
        mailNickname: 'devs-ro',
        securityEnabled: true,
      }),
    ).toBe('group:default/aws-developers-readonly');
    expect(
      entraGroupEntityRef({
        displayName: 'Backend Team',
        mailNickname: 'backend',
        securityEnabled: false,
      }),
    ).toBe('group:default/backend');
    expect(
      entraGroupEntityRef({
        displayName: 'Backend Team',
        securityEnabled: false,
      }),
    ).toBe('group:default/backend_team');
  });
});
