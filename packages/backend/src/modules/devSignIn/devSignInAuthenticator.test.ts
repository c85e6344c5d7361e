import type { Request } from 'express';
import {
  DEV_SIGN_IN_HEADER,
  devSignInAuthenticator,
} from './devSignInAuthenticator';

function requestWith(header?: string): Request {
  return {
    header: (name: string) =>
      name === DEV_SIGN_IN_HEADER ? header : undefined,
  } as unknown as Request;
}

describe('devSignInAuthenticator', () => {
  it('signs in as the user the header names', async () => {
    await expect(
      devSignInAuthenticator.authenticate(
        { req: requestWith('user:default/aamir_example.com') },
        undefined,
      ),
    ).resolves.toEqual({
      result: { userEntityRef: 'user:default/aamir_example.com' },
    });
    await expect(
      devSignInAuthenticator.authenticate(
        { req: requestWith('noah_example.com') },
        undefined,
      ),
    ).resolves.toEqual({
      result: { userEntityRef: 'user:default/noah_example.com' },
    });
  });

  it('shows the display name the page sends, and only in the profile', async () => {
    const req = {
      header: (name: string) =>
        ((
          {
            'x-aws-access-dev-user': 'user:default/sara_example.com',
            'x-aws-access-dev-user-name':
              encodeURIComponent('Sara Lindqvist ✓'),
          } as Record<string, string>
        )[name]),
    } as unknown as Request;
    const { result } = await devSignInAuthenticator.authenticate(
      { req },
      undefined,
    );
    expect(result).toEqual({
      userEntityRef: 'user:default/sara_example.com',
      displayName: 'Sara Lindqvist ✓',
    });
    await expect(
      devSignInAuthenticator.defaultProfileTransform(result, {} as any),
    ).resolves.toEqual({
      profile: { displayName: 'Sara Lindqvist ✓' },
    });
  });

  it.each([
    [undefined, /needs the x-aws-access-dev-user header/],
    ['group:default/platform-team', /must name a User/],
    ['user:default/', /not an entity ref/],
  ])('refuses %j', async (header, message) => {
    await expect(
      devSignInAuthenticator.authenticate(
        { req: requestWith(header) },
        undefined,
      ),
    ).rejects.toThrow(message);
  });
});
