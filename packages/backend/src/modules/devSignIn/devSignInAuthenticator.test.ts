import { Request } from 'express';
import { DEV_SIGN_IN_HEADER, devSignInAuthenticator } from './devSignInAuthenticator';

function requestWith(header?: string): Request {
  return { header: (name: string) => (name === DEV_SIGN_IN_HEADER ? header : undefined) } as unknown as Request;
}

describe('devSignInAuthenticator', () => {
  it('signs in as the user the header names', async () => {
    await expect(
      devSignInAuthenticator.authenticate({ req: requestWith('user:default/aamir_example.com') }, undefined),
    ).resolves.toEqual({ result: { userEntityRef: 'user:default/aamir_example.com' } });
    await expect(devSignInAuthenticator.authenticate({ req: requestWith('noah_example.com') }, undefined)).resolves.toEqual(
      { result: { userEntityRef: 'user:default/noah_example.com' } },
    );
  });

  it.each([
    [undefined, /needs the x-aws-access-dev-user header/],
    ['group:default/platform-team', /must name a User/],
    ['user:default/', /not an entity ref/],
  ])('refuses %j', async (header, message) => {
    await expect(devSignInAuthenticator.authenticate({ req: requestWith(header) }, undefined)).rejects.toThrow(message);
  });
});
