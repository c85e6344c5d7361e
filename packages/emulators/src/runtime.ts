import { Counters } from './Counters';
import { FaultInjector } from './faults/FaultInjector';
import { RateLimits } from './faults/TokenBucket';
import type { NormalizedScenario } from './scenario/normalized';
import { ScimBridge } from './scim/ScimBridge';
import { World } from './state/World';

/**
 * Everything the servers share: the current World (replaced on reset), faults, rate limits, counters, the SCIM
 * bridge, and the key that signs Graph tokens.
 */
export class EmulatorRuntime {
  readonly scenario: NormalizedScenario;
  readonly faults = new FaultInjector();
  readonly rateLimits = new RateLimits();
  readonly counters = new Counters();
  readonly scim: ScimBridge;
  readonly signingKey: {
    privateKeyPem: string;
    publicKeyPem: string;
    kid: string;
  };
  readonly #scimIntervalSeconds?: number;
  #world: World;

  static create(options: {
    scenario: NormalizedScenario;
    signingKey: EmulatorRuntime['signingKey'];
    scimIntervalSeconds?: number;
    autoScim: boolean;
  }): EmulatorRuntime {
    return new EmulatorRuntime(options);
  }

  private constructor(options: Parameters<typeof EmulatorRuntime.create>[0]) {
    this.scenario = options.scenario;
    this.signingKey = options.signingKey;
    this.#scimIntervalSeconds = options.scimIntervalSeconds;
    this.#world = this.#load();
    this.scim = ScimBridge.create({
      world: () => this.#world,
      autoCycle: options.autoScim,
    });
    this.#applyScenarioControls();
  }

  get world(): World {
    return this.#world;
  }

  /** Back to the loaded scenario: new World (old delta tokens expire), scenario faults and limits, zero counters. */
  reset(): void {
    this.#world = this.#load();
    this.faults.clear();
    this.rateLimits.clear();
    this.counters.reset();
    this.#applyScenarioControls();
  }

  #load(): World {
    return World.load(this.scenario, {
      scimIntervalSeconds: this.#scimIntervalSeconds,
    });
  }

  #applyScenarioControls() {
    for (const fault of this.scenario.emulator.faults) this.faults.add(fault);
    for (const limit of this.scenario.emulator.rateLimits)
      this.rateLimits.set(limit.service, limit.perSecond, limit.burst);
  }
}
