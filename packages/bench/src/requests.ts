/*
 * Access requests in the emulated world (issue 16): seconds from an approval to `active` (the Entra write,
 * provision-on-demand, the targeted refresh) and from the expiry to `ended` (the worker's removal or PIM's own
 * end, provision-on-demand again), through the real backend's REST API with dev sign-in tokens. The worker runs
 * on its own schedule inside the backend; the harness only watches. Goal: ≤ 120 s each (the seed's provisioning
 * cycle is 40 minutes).
 */
import {
  entraGroupEntityRef,
  entraUserEntityRef,
} from '@aws-access/plugin-aws-access-common';
import { sleep } from './backend';

export interface RequestTiming {
  mode: string;
  group: string;
  /** Seconds from the approval (`decidedAt`) to `active` (`grantedAt`). */
  approvalToActiveSeconds: number;
  /** Seconds from `expiresAt` to `ended` (`endedAt`). */
  expiryToEndedSeconds: number;
  /** The request's history, for the report. */
  states: string[];
}

export interface RequestScenario {
  baseUrl: string;
  requester: string;
  approver: string;
  /** Entity ref of the group to ask for. */
  group: string;
  /** ISO 8601; the bench uses PT1M so that the expiry comes within the run. */
  duration: string;
  justification: string;
  ticket?: string;
  timeoutMs?: number;
}

/** A dev sign-in token for a catalog user (the demo backend's development sign-in). */
export async function devToken(baseUrl: string, userRef: string) {
  const login = await fetch(`${baseUrl}/api/auth/dev/refresh`, {
    headers: { 'x-aws-access-dev-user': userRef },
  });
  if (!login.ok)
    throw new Error(
      `dev sign-in as ${userRef} failed: ${login.status} ${await login.text()}`,
    );
  return (await login.json()).backstageIdentity.token as string;
}

export async function call(
  baseUrl: string,
  token: string,
  route: string,
  init: { method?: string; body?: unknown } = {},
): Promise<any> {
  const response = await fetch(`${baseUrl}/api/aws-access${route}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${token}`,
      ...(init.body !== undefined && { 'content-type': 'application/json' }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  if (!response.ok)
    throw new Error(
      `${init.method ?? 'GET'} ${route}: ${response.status} ${text.slice(
        0,
        300,
      )}`,
    );
  return text ? JSON.parse(text) : undefined;
}

/** Polls a request until it is in `state`, or fails on `failed` or the timeout. */
async function waitFor(
  get: () => Promise<any>,
  state: string,
  timeoutMs: number,
): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const request = await get();
    if (request.state === state) return request;
    if (request.state === 'failed')
      throw new Error(`the request failed: ${request.error}`);
    if (Date.now() > deadline)
      throw new Error(
        `the request was still ${request.state} after ${Math.round(
          timeoutMs / 1000,
        )} s`,
      );
    await sleep(500);
  }
}

const seconds = (from: string, to: string) =>
  Math.round((Date.parse(to) - Date.parse(from)) / 100) / 10;

/** Asks, approves, and follows one request through `active` to `ended`; the times are the backend's own stamps. */
export async function measureAccessRequest(
  scenario: RequestScenario,
): Promise<RequestTiming> {
  const { baseUrl } = scenario;
  const timeoutMs = scenario.timeoutMs ?? 5 * 60_000;
  const requesterToken = await devToken(baseUrl, scenario.requester);
  const approverToken = await devToken(baseUrl, scenario.approver);
  const created = await call(baseUrl, requesterToken, '/requests', {
    method: 'POST',
    body: {
      group: scenario.group,
      duration: scenario.duration,
      justification: scenario.justification,
      ...(scenario.ticket && { ticket: scenario.ticket }),
    },
  });
  await call(baseUrl, approverToken, `/requests/${created.id}/approve`, {
    method: 'POST',
    body: { note: 'bench' },
  });
  const get = () => call(baseUrl, requesterToken, `/requests/${created.id}`);
  const active = await waitFor(get, 'active', timeoutMs);
  const ended = await waitFor(
    get,
    'ended',
    Date.parse(active.expiresAt) - Date.now() + timeoutMs,
  );
  return {
    mode: ended.mode,
    group: scenario.group,
    approvalToActiveSeconds: seconds(active.decidedAt, active.grantedAt),
    expiryToEndedSeconds: seconds(ended.expiresAt, ended.endedAt),
    states: (ended.history ?? []).map((h: { to: string }) => h.to),
  };
}

/** The seed organisation's two requests, one per mode, and the governance policy the bench backend runs with. */
export function seedRequests(
  baseUrl: string,
  scenario: {
    entra: {
      users: { upn: string; mail?: string }[];
      groups: {
        name: string;
        securityEnabled?: boolean;
        mailNickname?: string;
      }[];
    };
  },
) {
  const userRef = (upn: string) => {
    const user = scenario.entra.users.find(u => u.upn === upn)!;
    return entraUserEntityRef({ mail: user.mail, userPrincipalName: upn });
  };
  const groupRef = (name: string) =>
    entraGroupEntityRef({
      displayName: name,
      ...scenario.entra.groups.find(g => g.name === name)!,
    });
  const policy = (group: string, mode: 'membership' | 'pim') => ({
    group: groupRef(group),
    requesters: 'everyone',
    approvers: ['group-owners'],
    maxDuration: 'PT1H',
    justification: 'required',
    mode,
  });
  const request = (requester: string, approver: string, group: string) => ({
    baseUrl,
    requester: userRef(requester),
    approver: userRef(approver),
    group: groupRef(group),
    duration: 'PT1M',
    justification: 'bench: time to usable and time to gone',
  });
  return {
    governance: {
      mode: 'membership',
      policies: [
        policy('AWS-Developers-PowerUser', 'membership'),
        policy('AWS-Developers-Admin', 'pim'),
      ],
    },
    requests: [
      request(
        'aamir@example.com',
        'maria@example.com',
        'AWS-Developers-PowerUser',
      ),
      request('tom@example.com', 'sara@example.com', 'AWS-Developers-Admin'),
    ],
  };
}

/** The report's section on access requests: each mode's two figures against the 120 s goal. */
export function renderAccessRequests(timings?: RequestTiming[]): string[] {
  const out = ['### 4b. Access requests (issue 16: ≤ 120 s each)', ''];
  if (!timings?.length) return [...out, 'Not measured in this run.', ''];
  out.push(
    "One request per Entra mode, asked and approved through the REST API (PT1M), followed by the backend's request worker: " +
      "the Entra write, provision-on-demand and a targeted refresh. Times are the backend's own stamps (`decidedAt` → `grantedAt`, `expiresAt` → `endedAt`).",
    '',
    '| mode | group | approval → active | expiry → ended |',
    '| --- | --- | ---: | ---: |',
  );
  for (const t of timings) {
    const verdict = (s: number) => `${s} s ${s <= 120 ? '✅' : '❌'}`;
    out.push(
      `| ${t.mode} | \`${t.group}\` | ${verdict(
        t.approvalToActiveSeconds,
      )} | ${verdict(t.expiryToEndedSeconds)} |`,
    );
  }
  return [...out, ''];
}
