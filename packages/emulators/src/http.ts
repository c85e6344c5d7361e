import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

/** A request as the emulators' handlers see it: body already read. */
export interface EmulatorRequest {
  method: string;
  url: URL;
  /** The raw path and query as sent (nextLinks echo it back). */
  rawUrl: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** `https://host:port` or `http://host:port`, from the Host header the client used. */
  origin: string;
}

/** What a handler answers: a response, or one of the network faults. */
export type Reply =
  | {
      kind: 'response';
      status: number;
      headers: Record<string, string>;
      body: string | Buffer;
    }
  | { kind: 'hang' }
  | { kind: 'reset' };

export function jsonReply(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  contentType = 'application/json',
): Reply {
  return {
    kind: 'response',
    status,
    headers: { 'content-type': contentType, ...headers },
    body: JSON.stringify(body),
  };
}

export function textReply(
  status: number,
  body: string,
  headers: Record<string, string> = {},
  contentType = 'text/plain',
): Reply {
  return {
    kind: 'response',
    status,
    headers: { 'content-type': contentType, ...headers },
    body,
  };
}

export interface RunningServer {
  port: number;
  host: string;
  close(): Promise<void>;
}

/**
 * Starts one HTTP(S) server around an async handler. Tracks sockets and hanging requests so `close()` never waits
 * on a client that a `timeout` fault left dangling.
 */
export async function startServer(options: {
  host: string;
  port: number;
  tls?: { cert: string; key: string };
  handler: (request: EmulatorRequest) => Promise<Reply>;
  onError?: (error: unknown) => void;
}): Promise<RunningServer> {
  const sockets = new Set<Socket>();
  const scheme = options.tls ? 'https' : 'http';
  const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('error', () => res.destroy());
    req.on('end', () => {
      const host = req.headers.host ?? `${options.host}`;
      const origin = `${scheme}://${host}`;
      const request: EmulatorRequest = {
        method: (req.method ?? 'GET').toUpperCase(),
        url: new URL(req.url ?? '/', origin),
        rawUrl: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks),
        origin,
      };
      options
        .handler(request)
        .then(reply => writeReply(res, reply))
        .catch(error => {
          options.onError?.(error);
          if (!res.headersSent) {
            res.writeHead(500, { 'content-type': 'application/json' });
          }
          res.end(
            JSON.stringify({
              error: {
                code: 'EmulatorError',
                message: String((error as Error)?.stack ?? error),
              },
            }),
          );
        });
    });
  };
  const server = options.tls
    ? https.createServer(
        { cert: options.tls.cert, key: options.tls.key },
        listener,
      )
    : http.createServer(listener);
  // Benchmarks open many parallel keep-alive connections; Node's default header timeout is fine, but keep-alive
  // must outlast the SDKs' idle pools.
  server.keepAliveTimeout = 65_000;
  // Raw TCP sockets (for TLS too): a client stuck in the handshake must not keep close() waiting either.
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    port: address.port,
    host: options.host,
    close: () =>
      new Promise<void>(resolve => {
        for (const socket of sockets) {
          socket.destroy();
        }
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function writeReply(res: http.ServerResponse, reply: Reply) {
  if (reply.kind === 'reset') {
    res.socket?.destroy();
    return;
  }
  if (reply.kind === 'hang') {
    // Accept and never answer: the client's own timeout is what ends the exchange.
    return;
  }
  const body =
    typeof reply.body === 'string'
      ? Buffer.from(reply.body, 'utf8')
      : reply.body;
  res.writeHead(reply.status, {
    ...reply.headers,
    'content-length': String(body.length),
  });
  res.end(body);
}
