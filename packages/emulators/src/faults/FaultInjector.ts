import type { FaultService, FaultSpec } from '../scenario/types';

/** A fault as set, with how often it matched and fired. @public */
export interface ActiveFault
  extends Required<
    Pick<FaultSpec, 'service' | 'operation' | 'kind' | 'atCall' | 'times'>
  > {
  id: number;
  delayMs?: number;
  retryAfterSeconds?: number;
  /** Matching calls seen since the fault was set. */
  seen: number;
  /** How many times it fired. */
  fired: number;
}

/**
 * Faults set through the control API or the scenario: each matches calls of one operation (AWS operation name,
 * or a Graph path prefix or route template) and fires on the k-th matching call from when it was set, `times`
 * consecutive calls in a row.
 */
export class FaultInjector {
  #faults: ActiveFault[] = [];
  #nextId = 1;

  add(spec: FaultSpec): ActiveFault {
    const fault: ActiveFault = {
      id: this.#nextId++,
      service: spec.service,
      operation: spec.operation,
      kind: spec.kind,
      atCall: spec.atCall ?? 1,
      times: spec.times ?? 1,
      ...(spec.delayMs !== undefined && { delayMs: spec.delayMs }),
      ...(spec.retryAfterSeconds !== undefined && {
        retryAfterSeconds: spec.retryAfterSeconds,
      }),
      seen: 0,
      fired: 0,
    };
    this.#faults.push(fault);
    return fault;
  }

  clear(): void {
    this.#faults = [];
  }

  list(): readonly ActiveFault[] {
    return this.#faults;
  }

  /**
   * Counts this call against every matching fault and returns the one that fires, if any. `names` are the forms
   * the operation can be matched by (AWS: the operation name; Graph: the path and the route template).
   */
  match(service: FaultService, names: string[]): ActiveFault | undefined {
    let firing: ActiveFault | undefined;
    for (const fault of this.#faults) {
      if (fault.service !== service || fault.fired >= fault.times) continue;
      const hit =
        fault.operation === '*' ||
        names.some(name =>
          service === 'graph'
            ? name.startsWith(fault.operation)
            : name === fault.operation,
        );
      if (!hit) continue;
      fault.seen++;
      if (!firing && fault.seen >= fault.atCall) {
        fault.fired++;
        firing = fault;
      }
    }
    // Spent faults stay listed (GET /_emulator/faults shows what fired) but no longer match.
    return firing;
  }
}

/** The body of a response that arrived cut off mid-way. */
export function truncate(body: string): string {
  return body.slice(0, Math.max(1, Math.floor(body.length / 2)));
}

export const MALFORMED_BODY =
  '<html><head><title>502 Bad Gateway</title></head><body>upstream connect error</body></html>';
