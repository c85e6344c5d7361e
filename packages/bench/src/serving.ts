import autocannon from 'autocannon';

/** What Chromium sends; the backend's compression middleware then gzips each answer. */
export const BROWSER_ACCEPT_ENCODING = 'gzip, deflate, br';

export interface LatencyResult {
  route: string;
  connections: number;
  durationSeconds: number;
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  meanMs: number;
  maxMs: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  bytesPerResponse: number;
}

/** One autocannon run against a route with a bearer token. */
export async function measure(options: {
  baseUrl: string;
  route: string;
  token: string;
  connections: number;
  durationSeconds: number;
  /** Sent as Accept-Encoding (a browser sends `gzip, deflate, br`); none by default. */
  acceptEncoding?: string;
}): Promise<LatencyResult> {
  const result = await autocannon({
    url: `${options.baseUrl}${options.route}`,
    connections: options.connections,
    duration: options.durationSeconds,
    headers: {
      authorization: `Bearer ${options.token}`,
      ...(options.acceptEncoding && {
        'accept-encoding': options.acceptEncoding,
      }),
    },
    timeout: 30,
  });
  const requests = result.requests.total;
  return {
    route: options.route,
    connections: options.connections,
    durationSeconds: options.durationSeconds,
    requests,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p90Ms: result.latency.p90,
    p99Ms: result.latency.p99,
    meanMs: result.latency.average,
    maxMs: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    bytesPerResponse:
      requests > 0 ? Math.round(result.throughput.total / requests) : 0,
  };
}

/** Sequential requests (no concurrency): the latency one person sees, p50/p95/p99 over `count` calls. */
export async function sequential(options: {
  baseUrl: string;
  route: string;
  token: string;
  count: number;
  /** As in `measure`; '' asks for no compression (fetch otherwise asks for gzip itself). */
  acceptEncoding?: string;
}) {
  const times: number[] = [];
  let failures = 0;
  for (let i = 0; i < options.count; i++) {
    const started = performance.now();
    const response = await fetch(`${options.baseUrl}${options.route}`, {
      headers: {
        authorization: `Bearer ${options.token}`,
        ...(options.acceptEncoding !== undefined && {
          'accept-encoding': options.acceptEncoding || 'identity',
        }),
      },
    });
    await response.arrayBuffer();
    times.push(performance.now() - started);
    if (!response.ok) failures++;
  }
  times.sort((a, b) => a - b);
  const at = (q: number) =>
    Number(
      times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(
        2,
      ),
    );
  return {
    route: options.route,
    count: options.count,
    p50Ms: at(0.5),
    p95Ms: at(0.95),
    p99Ms: at(0.99),
    failures,
  };
}
