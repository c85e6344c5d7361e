import { Counters } from './Counters';
import { EventDelivery } from './events/EventDelivery';
import { FaultInjector } from './faults/FaultInjector';
import { RateLimits } from './faults/TokenBucket';
import type { NormalizedScenario } from './scenario/normalized';
import { ScimBridge } from './scim/ScimBridge';
import { SqsQueues } from './sqs/SqsQueues';
import { World } from './state/World';

/**
 * Everything the servers share: the current World (replaced on reset), faults, rate limits, counters, the SCIM
 * bridge, the SQS queues with EventBridge's delivery of the World's writes to them, and the key that signs Graph
 * tokens.
 */
export class EmulatorRuntime {
  readonly scenario: NormalizedScenario;
  readonly faults = new FaultInjector();
  readonly rateLimits = new RateLimits();
  readonly counters = new Counters();
  readonly scim: ScimBridge;
  readonly sqs: SqsQueues;
  readonly events: EventDelivery;
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
    this.sqs = SqsQueues.create({
      nowMs: () => this.#world.clock.nowMs(),
      region: () => this.scenario.identityCenter.region,
    });
    this.events = EventDelivery.create({
      queues: this.sqs,
      world: () => this.#world,
    });
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

  /**
   * Back to the loaded scenario: new World (old delta tokens expire), scenario faults and limits, zero counters.
   * Queues stay (a deployment created them) but lose their messages: they described the old World.
   */
  reset(): void {
    this.sqs.purgeAll();
    this.events.reset();
    this.#world = this.#load();
    this.faults.clear();
    this.rateLimits.clear();
    this.counters.reset();
    this.#applyScenarioControls();
  }

  #load(): World {
    const world = World.load(this.scenario, {
      scimIntervalSeconds: this.#scimIntervalSeconds,
    });
    world.trail.listen(call => this.events.deliver(call));
    return world;
  }

  #applyScenarioControls() {
    for (const fault of this.scenario.emulator.faults) this.faults.add(fault);
    for (const limit of this.scenario.emulator.rateLimits)
      this.rateLimits.set(limit.service, limit.perSecond, limit.burst);
  }
}
