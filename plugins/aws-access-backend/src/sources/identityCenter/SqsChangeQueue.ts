import type { SQSClient } from '@aws-sdk/client-sqs';
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
} from '@aws-sdk/client-sqs';
import type { ChangeEventQueue, QueuedChange } from '../ports';

/*
 * The change events' queue on SQS: long-polled receives, batched deletes, and the dead-letter queue's depth. A
 * message that is never deleted comes back after the queue's visibility timeout, and after the redrive policy's
 * maxReceiveCount receives SQS moves it to the dead-letter queue: that is how a poison message leaves.
 */

/** The region in a queue URL (https://sqs.<region>.amazonaws.com/…), else the fallback (emulators, VPC hosts). */
export function queueRegion(queueUrl: string, fallback: string): string {
  const match = /^sqs[.-]([a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d)\./.exec(
    new URL(queueUrl).hostname,
  );
  return match?.[1] ?? fallback;
}

export class SqsChangeQueue implements ChangeEventQueue {
  readonly #client: SQSClient;
  readonly #queueUrl: string;
  readonly #deadLetterQueueUrl?: string;

  constructor(options: {
    client: SQSClient;
    queueUrl: string;
    deadLetterQueueUrl?: string;
  }) {
    this.#client = options.client;
    this.#queueUrl = options.queueUrl;
    this.#deadLetterQueueUrl = options.deadLetterQueueUrl;
  }

  async receive(options: {
    waitSeconds: number;
    max: number;
    signal?: AbortSignal;
  }): Promise<QueuedChange[]> {
    const { Messages = [] } = await this.#client.send(
      new ReceiveMessageCommand({
        QueueUrl: this.#queueUrl,
        MaxNumberOfMessages: Math.min(Math.max(options.max, 1), 10),
        WaitTimeSeconds: options.waitSeconds,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      }),
      { abortSignal: options.signal },
    );
    return Messages.map(m => ({
      messageId: m.MessageId ?? '',
      receiptHandle: m.ReceiptHandle ?? '',
      body: m.Body ?? '',
      receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? 1),
    }));
  }

  /** Deletes in batches of ten; a handle that expired meanwhile fails alone (its message comes back, harmlessly). */
  async delete(messages: readonly QueuedChange[]): Promise<number> {
    let failed = 0;
    for (let i = 0; i < messages.length; i += 10) {
      const { Failed = [] } = await this.#client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.#queueUrl,
          Entries: messages.slice(i, i + 10).map((m, n) => ({
            Id: String(n),
            ReceiptHandle: m.receiptHandle,
          })),
        }),
      );
      failed += Failed.length;
    }
    return failed;
  }

  async deadLetterDepth(): Promise<number | undefined> {
    if (!this.#deadLetterQueueUrl) return undefined;
    const { Attributes } = await this.#client.send(
      new GetQueueAttributesCommand({
        QueueUrl: this.#deadLetterQueueUrl,
        AttributeNames: ['ApproximateNumberOfMessages'],
      }),
    );
    return Number(Attributes?.ApproximateNumberOfMessages ?? 0);
  }
}
