import { useState } from 'react';
import {
  Content,
  Header,
  InfoCard,
  Page,
  Progress,
  ProxiedSignInPage,
  ResponseErrorPanel,
} from '@backstage/core-components';
import type { IdentityApi } from '@backstage/core-plugin-api';
import { configApiRef, useApi } from '@backstage/core-plugin-api';
import type { SignInPageProps } from '@backstage/plugin-app-react';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';

const STORAGE_KEY = 'aws-access-demo:signed-in-as';
const NAME_KEY = 'aws-access-demo:signed-in-name';
const HEADER = 'x-aws-access-dev-user';
const NAME_HEADER = 'x-aws-access-dev-user-name';

type DemoUser = {
  entityRef: string;
  displayName: string;
  email?: string;
  groups: string[];
};

function roleOf(user: DemoUser): string {
  const groups = user.groups.map(ref => ref.replace(/^group:default\//, ''));
  if (groups.includes('platform-team')) return 'platform team';
  return groups.length > 0 ? groups.join(', ') : 'no groups';
}

/** Signing out forgets the chosen person, so the list shows again instead of signing straight back in. */
function forgetOnSignOut(identityApi: IdentityApi): IdentityApi {
  return {
    getProfileInfo: () => identityApi.getProfileInfo(),
    getBackstageIdentity: () => identityApi.getBackstageIdentity(),
    getCredentials: () => identityApi.getCredentials(),
    signOut: async () => {
      window.localStorage.removeItem(STORAGE_KEY);
      window.localStorage.removeItem(NAME_KEY);
      await identityApi.signOut();
    },
  };
}

/**
 * Demo-only sign-in: lists the people of the loaded scenario and signs in as the one picked, through the
 * backend's `dev` proxy provider (which refuses to run in production).
 */
export const DevSignInPage = (props: SignInPageProps) => {
  const configApi = useApi(configApiRef);
  const backendUrl = configApi.getString('backend.baseUrl');
  const [chosen, setChosen] = useState<string | null>(() =>
    window.localStorage.getItem(STORAGE_KEY),
  );
  const users = useAsync(async (): Promise<DemoUser[]> => {
    const response = await fetch(`${backendUrl}/api/auth/dev-sign-in/users`);
    if (!response.ok) {
      throw new Error(
        `Could not list demo users: ${response.status} ${response.statusText}`,
      );
    }
    return (await response.json()).users;
  }, [backendUrl]);

  if (chosen) {
    return (
      <ProxiedSignInPage
        {...props}
        provider="dev"
        // Header values are ASCII: the name travels percent-encoded.
        headers={{
          [HEADER]: chosen,
          [NAME_HEADER]: encodeURIComponent(
            window.localStorage.getItem(NAME_KEY) ?? '',
          ),
        }}
        onSignInSuccess={identityApi =>
          props.onSignInSuccess(forgetOnSignOut(identityApi))
        }
      />
    );
  }

  return (
    <Page themeId="home">
      <Header
        title="AWS Access for Backstage: demo sign-in"
        subtitle="Pick who you want to be"
      />
      <Content>
        <InfoCard title="Sign in as">
          <Typography variant="body2" paragraph>
            This demo has no identity provider. Choose a person of the scenario
            to see the product as an engineer, a team lead or the platform team.
          </Typography>
          {users.loading && <Progress />}
          {users.error && <ResponseErrorPanel error={users.error} />}
          {users.value && users.value.length === 0 && (
            <Typography>
              The catalog has no users yet; it fills in a few seconds after the
              backend starts.
            </Typography>
          )}
          <List>
            {users.value?.map(user => (
              <ListItem
                button
                key={user.entityRef}
                data-testid={`sign-in-as-${user.entityRef}`}
                onClick={() => {
                  window.localStorage.setItem(STORAGE_KEY, user.entityRef);
                  window.localStorage.setItem(NAME_KEY, user.displayName);
                  setChosen(user.entityRef);
                }}
              >
                <ListItemText
                  primary={user.displayName}
                  secondary={`${user.email ?? user.entityRef} · ${roleOf(
                    user,
                  )}`}
                />
              </ListItem>
            ))}
          </List>
        </InfoCard>
      </Content>
    </Page>
  );
};
