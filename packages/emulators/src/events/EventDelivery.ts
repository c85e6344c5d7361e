import { randomUUID } from 'node:crypto';
import type { SqsQueues } from '../sqs/SqsQueues';
import type { World } from '../state/World';
import type { ApiCall } from './CloudTrail';

/*
 * EventBridge's "AWS API Call via CloudTrail" delivery to one queue (setting `eventQueue`, the rule's target):
 * each recorded write becomes the documented envelope (version, id, detail-type, source, account, time, region,
 * resources, detail = the CloudTrail record). Delivery is best effort, as in AWS: settings delay it
 * (`eventDelaySeconds`), shuffle it (`eventReorderSeconds`: a further random delay up to that long), repeat it
 * (`eventDuplicateRate`) and lose it (`eventLossRate`), from a seeded generator so runs repeat.
 */

/** What the CloudTrail events' delivery did (`GET /_emulator/events`). @public */
export interface EventDeliveryStats {
  recorded: number;
  delivered: number;
  duplicated: number;
  lost: number;
  /** Events recorded while no queue was configured (or it did not exist). */
  undeliverable: number;
  /** What was lost: eventName and the id CloudTrail gave it. */
  lostEvents: { eventName: string; eventID: string }[];
}

const emptyStats = (): EventDeliveryStats => ({
  recorded: 0,
  delivered: 0,
  duplicated: 0,
  lost: 0,
  undeliverable: 0,
  lostEvents: [],
});

/** mulberry32: small, seedable, good enough to decide losses and delays. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const isoSeconds = (ms: number) =>
  new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

export class EventDelivery {
  readonly #queues: SqsQueues;
  readonly #world: () => World;
  #random = seeded(20);
  #stats = emptyStats();

  static create(options: {
    queues: SqsQueues;
    world: () => World;
  }): EventDelivery {
    return new EventDelivery(options);
  }

  private constructor(options: { queues: SqsQueues; world: () => World }) {
    this.#queues = options.queues;
    this.#world = options.world;
  }

  stats(): EventDeliveryStats {
    return { ...this.#stats, lostEvents: [...this.#stats.lostEvents] };
  }

  reset(): void {
    this.#random = seeded(20);
    this.#stats = emptyStats();
  }

  deliver(call: ApiCall): void {
    const world = this.#world();
    const settings = world.settings;
    this.#stats.recorded++;
    const queue = settings.eventQueue
      ? this.#queues.get(settings.eventQueue)
      : undefined;
    if (!queue) {
      this.#stats.undeliverable++;
      return;
    }
    const event = this.envelope(call);
    if (this.#random() < settings.eventLossRate) {
      this.#stats.lost++;
      this.#stats.lostEvents.push({
        eventName: call.eventName,
        eventID: event.detail.eventID,
      });
      return;
    }
    const body = JSON.stringify(event);
    const delay = () =>
      settings.eventDelaySeconds +
      this.#random() * settings.eventReorderSeconds;
    this.#queues.send(queue, body, delay());
    this.#stats.delivered++;
    if (this.#random() < settings.eventDuplicateRate) {
      this.#queues.send(queue, body, delay());
      this.#stats.duplicated++;
    }
  }

  /** The EventBridge event for a recorded call. */
  envelope(call: ApiCall) {
    const world = this.#world();
    const account = world.organization.managementAccountId;
    const region = call.region ?? world.scenario.identityCenter.region;
    const nowMs = world.clock.nowMs();
    const service = call.eventSource.split('.')[0];
    const serviceEvent = call.eventType === 'AwsServiceEvent';
    return {
      version: '0',
      id: randomUUID(),
      'detail-type': serviceEvent
        ? 'AWS Service Event via CloudTrail'
        : 'AWS API Call via CloudTrail',
      source: `aws.${service}`,
      account,
      time: isoSeconds(nowMs),
      region,
      resources: [] as string[],
      detail: {
        eventVersion: '1.10',
        userIdentity: serviceEvent
          ? { accountId: account, invokedBy: call.eventSource }
          : {
              type: 'AssumedRole',
              accountId: account,
              ...(call.accessKeyId && { accessKeyId: call.accessKeyId }),
            },
        eventTime: isoSeconds(nowMs),
        eventSource: call.eventSource,
        eventName: call.eventName,
        awsRegion: region,
        sourceIPAddress: serviceEvent ? call.eventSource : '127.0.0.1',
        userAgent: call.userAgent ?? call.eventSource,
        ...(call.errorCode && {
          errorCode: call.errorCode,
          errorMessage: call.errorMessage,
        }),
        requestParameters: call.requestParameters,
        responseElements: call.responseElements,
        ...(call.serviceEventDetails && {
          serviceEventDetails: call.serviceEventDetails,
        }),
        requestID: randomUUID(),
        eventID: randomUUID(),
        readOnly: false,
        eventType: call.eventType ?? 'AwsApiCall',
        managementEvent: true,
        recipientAccountId: account,
        eventCategory: 'Management',
      },
    };
  }
}
