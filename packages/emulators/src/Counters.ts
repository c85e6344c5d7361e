/** Counters per service and operation (Graph: method + path template), for tests and benchmarks. @public */
export type CounterSnapshot = Record<string, Record<string, number>> & {
  totals: Record<string, number>;
  throttled: Record<string, Record<string, number>>;
};

export const COUNTED_SERVICES = [
  'sso-admin',
  'identitystore',
  'organizations',
  'sts',
  'sqs',
  'graph',
  'login',
  'control',
] as const;

export class Counters {
  #calls = new Map<string, Map<string, number>>();
  #throttled = new Map<string, Map<string, number>>();

  count(service: string, operation: string): void {
    bump(this.#calls, service, operation);
  }

  /** Calls answered with 429 (rate limit, outstanding-operation cap or a throttle fault). */
  throttled(service: string, operation: string): void {
    bump(this.#throttled, service, operation);
  }

  reset(): void {
    this.#calls = new Map();
    this.#throttled = new Map();
  }

  snapshot(): CounterSnapshot {
    const out: Record<string, Record<string, number>> = {};
    const totals: Record<string, number> = { all: 0 };
    for (const service of COUNTED_SERVICES) {
      out[service] = {};
      totals[service] = 0;
    }
    for (const [service, ops] of this.#calls) {
      out[service] ??= {};
      totals[service] ??= 0;
      for (const [op, n] of [...ops].sort(([a], [b]) => a.localeCompare(b))) {
        out[service][op] = n;
        totals[service] += n;
        if (service !== 'control') totals.all += n;
      }
    }
    const throttled: Record<string, Record<string, number>> = {};
    for (const [service, ops] of this.#throttled) {
      throttled[service] = Object.fromEntries(ops);
    }
    return Object.assign(out, { totals, throttled }) as CounterSnapshot;
  }
}

function bump(
  map: Map<string, Map<string, number>>,
  service: string,
  operation: string,
) {
  let ops = map.get(service);
  if (!ops) {
    ops = new Map();
    map.set(service, ops);
  }
  ops.set(operation, (ops.get(operation) ?? 0) + 1);
}
