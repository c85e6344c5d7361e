import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { SqsError } from './errors';

/*
 * Standard SQS queues: messages with delay, visibility timeouts, receive counts and a redrive policy that moves a
 * message to the dead-letter queue when a receive would exceed `maxReceiveCount`. Times are on the emulator clock
 * (so a clock advance ends visibility timeouts); long polls wait in real time.
 */

export interface SqsMessage {
  messageId: string;
  body: string;
  md5OfBody: string;
  sentMs: number;
  visibleAtMs: number;
  receiveCount: number;
  firstReceiveMs?: number;
  /** The receipt handle of the latest receive; older handles no longer delete the message. */
  receiptHandle?: string;
  deadLetterSourceArn?: string;
}

export interface SqsQueue {
  name: string;
  arn: string;
  accountId: string;
  attributes: Record<string, string>;
  createdMs: number;
  modifiedMs: number;
  messages: SqsMessage[];
}

export const DEFAULT_ATTRIBUTES: Record<string, string> = {
  DelaySeconds: '0',
  MaximumMessageSize: '262144',
  MessageRetentionPeriod: '345600',
  ReceiveMessageWaitTimeSeconds: '0',
  VisibilityTimeout: '30',
  SqsManagedSseEnabled: 'true',
};

/** Settable attributes and their ranges (seconds or bytes), as the SQS API reference lists them. */
const RANGES: Record<string, [number, number]> = {
  DelaySeconds: [0, 900],
  MaximumMessageSize: [1024, 262144],
  MessageRetentionPeriod: [60, 1209600],
  ReceiveMessageWaitTimeSeconds: [0, 20],
  VisibilityTimeout: [0, 43200],
};
const FREE_FORM = ['Policy', 'RedrivePolicy', 'SqsManagedSseEnabled'];

export const md5 = (text: string) =>
  createHash('md5').update(text, 'utf8').digest('hex');

export class SqsQueues {
  readonly #queues = new Map<string, SqsQueue>();
  readonly #nowMs: () => number;
  readonly #region: () => string;
  readonly #waiters = new Set<() => void>();
  #stopped = false;

  static create(options: {
    nowMs: () => number;
    region: () => string;
  }): SqsQueues {
    return new SqsQueues(options);
  }

  private constructor(options: { nowMs: () => number; region: () => string }) {
    this.#nowMs = options.nowMs;
    this.#region = options.region;
  }

  nowMs(): number {
    return this.#nowMs();
  }

  get(name: string): SqsQueue | undefined {
    return this.#queues.get(name);
  }

  byArn(arn: string): SqsQueue | undefined {
    return [...this.#queues.values()].find(q => q.arn === arn);
  }

  list(): SqsQueue[] {
    return [...this.#queues.values()];
  }

  /** CreateQueue: idempotent when the attributes match, QueueNameExists when they differ. */
  create(
    name: string,
    accountId: string,
    attributes: Record<string, string>,
  ): SqsQueue {
    if (!/^[a-zA-Z0-9_-]{1,80}$/.test(name)) {
      throw new SqsError(
        'InvalidParameterValue',
        'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
      );
    }
    const wanted = this.#checkAttributes(attributes);
    const existing = this.#queues.get(name);
    if (existing) {
      for (const [key, value] of Object.entries(wanted)) {
        if (existing.attributes[key] !== value)
          throw new SqsError(
            'QueueNameExists',
            `A queue already exists with the same name and a different value for attribute ${key}`,
          );
      }
      return existing;
    }
    const now = this.#nowMs();
    const queue: SqsQueue = {
      name,
      accountId,
      arn: `arn:aws:sqs:${this.#region()}:${accountId}:${name}`,
      attributes: { ...DEFAULT_ATTRIBUTES, ...wanted },
      createdMs: now,
      modifiedMs: now,
      messages: [],
    };
    this.#queues.set(name, queue);
    return queue;
  }

  setAttributes(queue: SqsQueue, attributes: Record<string, string>): void {
    Object.assign(queue.attributes, this.#checkAttributes(attributes));
    queue.modifiedMs = this.#nowMs();
  }

  delete(queue: SqsQueue): void {
    this.#queues.delete(queue.name);
  }

  send(queue: SqsQueue, body: string, delaySeconds?: number): SqsMessage {
    const now = this.#nowMs();
    const delay = delaySeconds ?? Number(queue.attributes.DelaySeconds);
    const message: SqsMessage = {
      messageId: randomUUID(),
      body,
      md5OfBody: md5(body),
      sentMs: now,
      visibleAtMs: now + delay * 1000,
      receiveCount: 0,
    };
    queue.messages.push(message);
    this.#wake();
    return message;
  }

  /**
   * One receive: up to `max` visible messages become in flight for `visibilitySeconds`. A message whose receives
   * already reached the redrive policy's `maxReceiveCount` moves to the dead-letter queue instead.
   */
  receive(
    queue: SqsQueue,
    max: number,
    visibilitySeconds?: number,
  ): SqsMessage[] {
    const now = this.#nowMs();
    this.#expire(queue, now);
    const redrive = this.#redrive(queue);
    const timeout =
      visibilitySeconds ?? Number(queue.attributes.VisibilityTimeout);
    const received: SqsMessage[] = [];
    // Standard queues promise no order: messages come in the order they became visible.
    const visible = queue.messages
      .filter(m => m.visibleAtMs <= now)
      .sort((a, b) => a.visibleAtMs - b.visibleAtMs);
    for (const message of visible) {
      if (received.length >= max) break;
      if (redrive && message.receiveCount >= redrive.maxReceiveCount) {
        this.#moveToDeadLetter(queue, message, redrive.target);
        continue;
      }
      message.receiveCount++;
      message.firstReceiveMs ??= now;
      message.visibleAtMs = now + timeout * 1000;
      message.receiptHandle = receiptHandle(queue.name, message.messageId);
      received.push(message);
    }
    return received;
  }

  /** Receives, waiting up to `waitSeconds` (real time) for a message to arrive or become visible. */
  async receiveWaiting(
    queue: SqsQueue,
    max: number,
    waitSeconds: number,
    visibilitySeconds?: number,
  ): Promise<SqsMessage[]> {
    const deadline = Date.now() + waitSeconds * 1000;
    for (;;) {
      const current = this.#queues.get(queue.name);
      if (current !== queue) return [];
      const received = this.receive(queue, max, visibilitySeconds);
      if (received.length > 0 || Date.now() >= deadline) return received;
      // Woken by a send, or every 50 ms for delays and visibility timeouts ending on the clock.
      await this.#nap(Math.min(50, deadline - Date.now()));
      if (this.#stopped) return [];
    }
  }

  #nap(ms: number): Promise<void> {
    return new Promise<void>(resolve => {
      let timer: NodeJS.Timeout | undefined = undefined;
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(done);
        resolve();
      };
      timer = setTimeout(done, ms);
      timer.unref();
      this.#waiters.add(done);
    });
  }

  /** DeleteMessage: the latest receipt handle deletes; an outdated one (or an already deleted message) does nothing. */
  deleteMessage(queue: SqsQueue, handle: string): void {
    const messageId = parseReceiptHandle(queue.name, handle);
    const index = queue.messages.findIndex(m => m.messageId === messageId);
    if (index >= 0 && queue.messages[index].receiptHandle === handle)
      queue.messages.splice(index, 1);
  }

  changeVisibility(queue: SqsQueue, handle: string, seconds: number): void {
    const messageId = parseReceiptHandle(queue.name, handle);
    const message = queue.messages.find(m => m.messageId === messageId);
    const now = this.#nowMs();
    if (
      !message ||
      message.visibleAtMs <= now ||
      message.receiptHandle !== handle
    )
      throw new SqsError(
        'MessageNotInflight',
        'The message referred to is not in flight.',
      );
    message.visibleAtMs = now + seconds * 1000;
    if (seconds === 0) this.#wake();
  }

  purge(queue: SqsQueue): void {
    queue.messages = [];
  }

  /** Drops every message (the emulated world they described was reset); queues stay. */
  purgeAll(): void {
    for (const queue of this.#queues.values()) queue.messages = [];
  }

  /** Ends every long poll now (the server is closing). */
  stop(): void {
    this.#stopped = true;
    for (const wake of [...this.#waiters]) wake();
  }

  counts(queue: SqsQueue) {
    const now = this.#nowMs();
    this.#expire(queue, now);
    let visible = 0;
    let inFlight = 0;
    let delayed = 0;
    for (const m of queue.messages) {
      if (m.visibleAtMs <= now) visible++;
      else if (m.receiveCount > 0) inFlight++;
      else delayed++;
    }
    return { visible, inFlight, delayed };
  }

  #wake() {
    for (const wake of [...this.#waiters]) wake();
  }

  #expire(queue: SqsQueue, now: number) {
    const retentionMs = Number(queue.attributes.MessageRetentionPeriod) * 1000;
    queue.messages = queue.messages.filter(m => m.sentMs + retentionMs > now);
  }

  #redrive(queue: SqsQueue) {
    const policy = queue.attributes.RedrivePolicy;
    if (!policy) return undefined;
    const { deadLetterTargetArn, maxReceiveCount } = JSON.parse(policy);
    const target = this.byArn(deadLetterTargetArn);
    return target
      ? { target, maxReceiveCount: Number(maxReceiveCount) }
      : undefined;
  }

  #moveToDeadLetter(queue: SqsQueue, message: SqsMessage, target: SqsQueue) {
    queue.messages.splice(queue.messages.indexOf(message), 1);
    target.messages.push({
      ...message,
      visibleAtMs: this.#nowMs(),
      receiptHandle: undefined,
      deadLetterSourceArn: queue.arn,
    });
    this.#wake();
  }

  #checkAttributes(attributes: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, raw] of Object.entries(attributes)) {
      const value = String(raw);
      if (name === 'FifoQueue' || name === 'ContentBasedDeduplication')
        throw new SqsError(
          'InvalidAttributeName',
          `Unknown Attribute ${name}.`,
        );
      const range = RANGES[name];
      if (!range && !FREE_FORM.includes(name))
        throw new SqsError(
          'InvalidAttributeName',
          `Unknown Attribute ${name}.`,
        );
      if (range) {
        const n = Number(value);
        if (!/^\d+$/.test(value) || n < range[0] || n > range[1])
          throw invalidValue(
            name,
            `${value}`,
            `Must be between ${range[0]} and ${range[1]}.`,
          );
      }
      if (name === 'RedrivePolicy') this.#checkRedrive(value);
      if (name === 'Policy') checkJson(name, value);
      out[name] = value;
    }
    return out;
  }

  #checkRedrive(value: string) {
    const policy = checkJson('RedrivePolicy', value) as Record<string, unknown>;
    const count = Number(policy.maxReceiveCount);
    if (!Number.isInteger(count) || count < 1 || count > 1000)
      throw invalidValue(
        'RedrivePolicy',
        value,
        'Invalid value for maxReceiveCount: must be an integer from 1 to 1000.',
      );
    if (
      typeof policy.deadLetterTargetArn !== 'string' ||
      !this.byArn(policy.deadLetterTargetArn)
    )
      throw invalidValue(
        'RedrivePolicy',
        value,
        'Dead letter target does not exist.',
      );
  }
}

function invalidValue(name: string, _value: string, reason: string) {
  return new SqsError(
    'InvalidAttributeValue',
    `Invalid value for the parameter ${name}. Reason: ${reason}`,
  );
}

function checkJson(name: string, value: string): unknown {
  try {
    const parsed = JSON.parse(value);
    if (typeof parsed !== 'object' || parsed === null) throw new Error();
    return parsed;
  } catch {
    throw invalidValue(name, value, 'The attribute value is not valid JSON.');
  }
}

function receiptHandle(queueName: string, messageId: string): string {
  return Buffer.from(
    `${queueName} ${messageId} ${randomBytes(12).toString('hex')}`,
  ).toString('base64');
}

function parseReceiptHandle(queueName: string, handle: string): string {
  const [name, messageId, nonce] = Buffer.from(handle, 'base64')
    .toString('utf8')
    .split(' ');
  if (name !== queueName || !messageId || !nonce)
    throw new SqsError(
      'ReceiptHandleIsInvalid',
      `The input receipt handle "${handle}" is not a valid receipt handle.`,
    );
  return messageId;
}
