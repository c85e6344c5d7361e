import type {
  AccessToken,
  GetTokenOptions,
  TokenCredential,
} from '@azure/identity';
import {
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
} from '@azure/identity';
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import {
  AuthenticationHandler,
  Client,
  HTTPMessageHandler,
} from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials';
import type { EntraCredentialConfig } from '../../config/entraConfig';

const MICROSOFT_AUTHORITIES =
  /(^|\.)(microsoftonline\.(com|us)|chinacloudapi\.cn|microsoftonline\.de)$/;

/**
 * A credential that can be replaced by a fresh one. @azure/identity keeps a token until it expires by this
 * machine's clock; when Graph says it has expired sooner (a sync that outlives the token on a skewed clock, a
 * revoked session), `renew()` drops that cache so the next request gets a new token.
 */
export class RenewableTokenCredential implements TokenCredential {
  #current: TokenCredential;
  constructor(private readonly create: () => TokenCredential) {
    this.#current = create();
  }

  getToken(
    scopes: string | string[],
    options?: GetTokenOptions,
  ): Promise<AccessToken | null> {
    return this.#current.getToken(scopes, options);
  }

  renew(): void {
    this.#current = this.create();
  }
}

/**
 * The @azure/identity credential for the configured method. Authority validation and instance discovery call
 * Microsoft's public endpoints, so they are off for any authority that is not Microsoft's (sovereign clouds
 * proxied through a gateway, or the emulator).
 */
export function createTokenCredential(options: {
  tenantId: string;
  clientId?: string;
  credential: EntraCredentialConfig;
  authorityHost: string;
}): RenewableTokenCredential {
  return new RenewableTokenCredential(() => credentialFor(options));
}

function credentialFor(options: {
  tenantId: string;
  clientId?: string;
  credential: EntraCredentialConfig;
  authorityHost: string;
}): TokenCredential {
  const common = {
    authorityHost: options.authorityHost,
    disableInstanceDiscovery: !MICROSOFT_AUTHORITIES.test(
      new URL(options.authorityHost).hostname,
    ),
  };
  switch (options.credential.type) {
    case 'clientSecret':
      return new ClientSecretCredential(
        options.tenantId,
        options.clientId!,
        options.credential.clientSecret,
        common,
      );
    case 'certificate':
      return new ClientCertificateCredential(
        options.tenantId,
        options.clientId!,
        { certificatePath: options.credential.certificatePath },
        common,
      );
    default:
      return options.credential.clientId
        ? new ManagedIdentityCredential({
            clientId: options.credential.clientId,
          })
        : new ManagedIdentityCredential();
  }
}

/** Applies a per-request timeout and the run's abort signal, and marks requests as background work. */
class RequestControlMiddleware implements Middleware {
  #next?: Middleware;
  constructor(private readonly timeoutMs: number) {}

  async execute(context: Context): Promise<void> {
    const signals = [AbortSignal.timeout(this.timeoutMs)];
    const runSignal = (context.options as { signal?: AbortSignal } | undefined)
      ?.signal;
    if (runSignal) signals.push(runSignal);
    const headers = new Headers(
      context.options?.headers as HeadersInit | undefined,
    );
    // Graph throttles low-priority requests first when a tenant is busy: a background sync should yield.
    headers.set('x-ms-throttle-priority', 'low');
    context.options = {
      ...context.options,
      headers: Object.fromEntries(headers),
      signal: AbortSignal.any(signals),
    } as any;
    try {
      await this.#next!.execute(context);
    } catch (error) {
      // fetch reports a network failure as "fetch failed" with the reason (ECONNRESET, ...) in `cause`, which the
      // Graph client drops when it wraps the error: keep the code in the message, so retries can tell.
      const code = (error as { cause?: { code?: unknown } })?.cause?.code;
      if (
        error instanceof Error &&
        typeof code === 'string' &&
        !error.message.includes(code)
      ) {
        error.message = `${error.message} (${code})`;
      }
      throw error;
    }
  }

  setNext(next: Middleware) {
    this.#next = next;
  }
}

/**
 * A request refused because its token expired (401 InvalidAuthenticationToken) is sent once more with a new token.
 * Other 401s (a token Graph will never take) are answered as they are.
 */
class TokenRenewalMiddleware implements Middleware {
  #next?: Middleware;
  constructor(private readonly credential: RenewableTokenCredential) {}

  async execute(context: Context): Promise<void> {
    await this.#next!.execute(context);
    if (context.response?.status !== 401) return;
    const body = await context.response
      .clone()
      .json()
      .catch(() => undefined);
    if (
      body?.error?.code !== 'InvalidAuthenticationToken' ||
      !/expired/i.test(String(body?.error?.message))
    )
      return;
    this.credential.renew();
    // The authentication handler appends its header: the expired one goes first.
    const headers = { ...(context.options?.headers as Record<string, string>) };
    for (const name of Object.keys(headers))
      if (name.toLowerCase() === 'authorization') delete headers[name];
    context.options = { ...context.options, headers };
    await this.#next!.execute(context);
  }

  setNext(next: Middleware) {
    this.#next = next;
  }
}

/**
 * A Graph client with our middleware chain: token renewal, authentication, request control, HTTP. Retries are done by the
 * reader (with the run's deadline and counts), so the client's own retry handler is left out.
 */
export function createGraphClient(options: {
  credential: RenewableTokenCredential;
  graphBaseUrl: string;
  /** The cloud's Graph resource (`https://graph.microsoft.com/.default`), whatever host requests go to. */
  graphScope: string;
  requestTimeoutMs: number;
}): Client {
  const base = new URL(options.graphBaseUrl);
  const auth = new AuthenticationHandler(
    new TokenCredentialAuthenticationProvider(options.credential, {
      scopes: [options.graphScope],
    }),
  );
  return Client.initWithMiddleware({
    middleware: [
      new TokenRenewalMiddleware(options.credential),
      auth,
      new RequestControlMiddleware(options.requestTimeoutMs),
      new HTTPMessageHandler(),
    ],
    baseUrl: base.origin,
    defaultVersion: 'v1.0',
    // The client attaches tokens only to Microsoft's Graph hosts unless told of another (a gateway, the emulator).
    customHosts: new Set([base.hostname]),
  });
}
