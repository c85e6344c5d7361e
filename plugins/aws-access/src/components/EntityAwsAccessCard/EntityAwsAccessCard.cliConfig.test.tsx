import type { UserEntity } from '@backstage/catalog-model';
import { mockApis, registerMswTestHooks } from '@backstage/frontend-test-utils';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { AwsAccessClient } from '../../api';
import {
  activeGrant,
  alex,
  awsCliConfig,
  timeline,
  userAccess,
} from '../../__testUtils__/fixtures';
import { renderWithApi } from '../../__testUtils__/render';
import { EntityAwsAccessCard } from './EntityAwsAccessCard';

/*
 * The user card's `~/.aws/config` download, through the real client against the backend's routes (msw): the
 * URL it reads, and the text it saves as the file.
 */

const BASE = 'http://backstage.test/api/aws-access';
/** Alex's config route, his entity ref encoded as the client must. */
const CONFIG_PATH =
  '/api/aws-access/users/user%3Adefault%2Falex_example.com/aws-cli-config';
const alexEntity: UserEntity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'alex_example.com', title: 'Alex Morgan' },
  spec: { memberOf: [] },
};
const forbidden = () =>
  HttpResponse.json(
    { error: { name: 'NotAllowedError', message: 'Not allowed' } },
    { status: 403 },
  );

describe('EntityAwsAccessCard: the ~/.aws/config download', () => {
  const server = setupServer();
  registerMswTestHooks(server);
  const paths: string[] = [];
  const saved: Blob[] = [];
  const clicks: HTMLAnchorElement[] = [];
  const originalCreate = URL.createObjectURL;
  const originalRevoke = URL.revokeObjectURL;
  let click: jest.SpyInstance;

  const client = () =>
    new AwsAccessClient({
      discoveryApi: mockApis.discovery({ baseUrl: 'http://backstage.test' }),
      fetchApi: mockApis.fetch(),
    });

  /** The backend's answers for Alex: his access (`grants`), timeline and config (`config`: its answer). */
  function backend(options: {
    grants?: (typeof activeGrant)[];
    config?: () => Response;
  }) {
    server.use(
      http.get(`${BASE}/users/:ref`, () =>
        HttpResponse.json(
          userAccess({ user: alex, grants: options.grants ?? [activeGrant] }),
        ),
      ),
      http.get(`${BASE}/users/:ref/timeline`, () =>
        HttpResponse.json({ ...timeline, user: alex }),
      ),
      http.get(
        `${BASE}/users/:ref/aws-cli-config`,
        options.config ??
          (() =>
            new HttpResponse(awsCliConfig, {
              headers: { 'content-type': 'text/plain; charset=utf-8' },
            })),
      ),
    );
  }

  beforeEach(() => {
    paths.length = saved.length = clicks.length = 0;
    server.events.on('request:start', ({ request }) => {
      paths.push(new URL(request.url).pathname);
    });
    URL.createObjectURL = (blob: Blob) => {
      saved.push(blob);
      return 'blob:aws-config';
    };
    URL.revokeObjectURL = () => {};
    click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function record(this: HTMLAnchorElement) {
        clicks.push(this);
      });
  });

  afterEach(() => {
    server.events.removeAllListeners();
    click.mockRestore();
  });

  afterAll(() => {
    URL.createObjectURL = originalCreate;
    URL.revokeObjectURL = originalRevoke;
  });

  it("saves the user's config from /users/:ref/aws-cli-config as the file aws-config", async () => {
    backend({});
    renderWithApi(<EntityAwsAccessCard />, {
      api: client(),
      entity: alexEntity,
    });

    const button = await screen.findByTestId('aws-cli-config-download');
    expect(button).toHaveTextContent('Download ~/.aws/config');
    expect(paths).not.toContain(CONFIG_PATH);
    await userEvent.click(button);

    await waitFor(() => expect(clicks).toHaveLength(1));
    expect(paths).toContain(CONFIG_PATH);
    expect(clicks[0].download).toBe('aws-config');
    expect(saved[0].type).toBe('text/plain;charset=utf-8');
    expect(await saved[0].text()).toBe(awsCliConfig);
    expect(button).toBeEnabled();
    expect(screen.queryByTestId('access-error')).toBeNull();
  });

  it('disables the download and says why when the backend refuses the config (403)', async () => {
    backend({ config: forbidden });
    renderWithApi(<EntityAwsAccessCard />, {
      api: client(),
      entity: alexEntity,
    });

    await userEvent.click(await screen.findByTestId('aws-cli-config-download'));

    const panel = await screen.findByTestId('access-error');
    expect(panel.dataset.kind).toBe('forbidden');
    expect(screen.getByTestId('aws-cli-config-download')).toBeDisabled();
    expect(saved).toHaveLength(0);
  });

  it("offers no download when the viewer may not read the user's access, or the user has none", async () => {
    server.use(http.get(`${BASE}/users/:ref`, forbidden));
    const refused = renderWithApi(<EntityAwsAccessCard />, {
      api: client(),
      entity: alexEntity,
    });
    expect((await screen.findByTestId('access-error')).dataset.kind).toBe(
      'forbidden',
    );
    expect(screen.queryByTestId('aws-cli-config-download')).toBeNull();
    refused.unmount();

    backend({ grants: [] });
    renderWithApi(<EntityAwsAccessCard />, {
      api: client(),
      entity: alexEntity,
    });
    expect(await screen.findByTestId('no-grants')).toBeInTheDocument();
    expect(screen.queryByTestId('aws-cli-config-download')).toBeNull();
    expect(paths.filter(path => path.endsWith('/aws-cli-config'))).toEqual([]);
  });
});
