import type { SqsMessage, SqsQueue, SqsQueues } from './SqsQueues';
import { missingParameter, queueDoesNotExist, SqsError } from './errors';

/*
 * The SQS operations, on the JSON protocol's input and output members (the query protocol is translated to and
 * from these in router.ts). Queue URLs are `<endpoint>/<account id>/<queue name>`.
 */

export interface SqsContext {
  queues: SqsQueues;
  /** The account the queues belong to (the Identity Center account). */
  accountId: string;
  /** `http://host:port` as the client called it, for the queue URLs handed out. */
  origin: string;
}

type Input = Record<string, unknown>;
export type SqsHandler = (
  input: Input,
  ctx: SqsContext,
) => Record<string, unknown> | Promise<Record<string, unknown>>;

function str(input: Input, name: string, required: true): string;
function str(input: Input, name: string, required?: false): string | undefined;
function str(input: Input, name: string, required = false) {
  const value = input[name];
  if (value === undefined || value === null || value === '') {
    if (required) throw missingParameter(name);
    return undefined;
  }
  if (typeof value !== 'string')
    throw new SqsError(
      'InvalidParameterValue',
      `Value ${JSON.stringify(
        value,
      )} for parameter ${name} is invalid. Reason: Must be a string.`,
    );
  return value;
}

function int(
  input: Input,
  name: string,
  range: [number, number],
  reason: string,
): number | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'string' ? Number(value) : value;
  if (
    typeof n !== 'number' ||
    !Number.isInteger(n) ||
    n < range[0] ||
    n > range[1]
  )
    throw new SqsError(
      'InvalidParameterValue',
      `Value ${String(
        value,
      )} for parameter ${name} is invalid. Reason: ${reason}`,
    );
  return n;
}

function stringMap(input: Input, name: string): Record<string, string> {
  const value = input[name] ?? {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw new SqsError(
      'InvalidParameterValue',
      `Value for parameter ${name} is invalid. Reason: Must be a map of strings.`,
    );
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [
      k,
      String(v),
    ]),
  );
}

function stringList(input: Input, name: string): string[] {
  const value = input[name] ?? [];
  if (!Array.isArray(value))
    throw new SqsError(
      'InvalidParameterValue',
      `Value for parameter ${name} is invalid. Reason: Must be a list of strings.`,
    );
  return value.map(String);
}

export function queueUrl(ctx: SqsContext, queue: SqsQueue): string {
  return `${ctx.origin}/${queue.accountId}/${queue.name}`;
}

function requireQueue(input: Input, ctx: SqsContext): SqsQueue {
  const url = str(input, 'QueueUrl', true);
  let path: string[];
  try {
    path = new URL(url).pathname.split('/').filter(Boolean);
  } catch {
    throw new SqsError(
      'InvalidAddress',
      `The address ${url} is not valid for this endpoint.`,
    );
  }
  const [account, name] = path.slice(-2);
  const queue = name ? ctx.queues.get(name) : undefined;
  if (!queue || queue.accountId !== account) throw queueDoesNotExist();
  return queue;
}

const QUEUE_ATTRIBUTES = [
  'Policy',
  'VisibilityTimeout',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
  'QueueArn',
  'ApproximateNumberOfMessagesDelayed',
  'DelaySeconds',
  'ReceiveMessageWaitTimeSeconds',
  'RedrivePolicy',
  'SqsManagedSseEnabled',
];

function queueAttributes(ctx: SqsContext, queue: SqsQueue, names: string[]) {
  for (const name of names) {
    if (name !== 'All' && !QUEUE_ATTRIBUTES.includes(name))
      throw new SqsError('InvalidAttributeName', `Unknown Attribute ${name}.`);
  }
  const wanted = names.includes('All') ? QUEUE_ATTRIBUTES : names;
  const counts = ctx.queues.counts(queue);
  const all: Record<string, string | undefined> = {
    ...queue.attributes,
    ApproximateNumberOfMessages: String(counts.visible),
    ApproximateNumberOfMessagesNotVisible: String(counts.inFlight),
    ApproximateNumberOfMessagesDelayed: String(counts.delayed),
    CreatedTimestamp: String(Math.floor(queue.createdMs / 1000)),
    LastModifiedTimestamp: String(Math.floor(queue.modifiedMs / 1000)),
    QueueArn: queue.arn,
  };
  return Object.fromEntries(
    wanted.filter(n => all[n] !== undefined).map(n => [n, all[n]!]),
  );
}

const MESSAGE_ATTRIBUTES = [
  'SenderId',
  'SentTimestamp',
  'ApproximateReceiveCount',
  'ApproximateFirstReceiveTimestamp',
  'DeadLetterQueueSourceArn',
];

function renderMessage(message: SqsMessage, names: string[], queue: SqsQueue) {
  const wanted = names.includes('All') ? MESSAGE_ATTRIBUTES : names;
  const all: Record<string, string | undefined> = {
    SenderId: queue.accountId,
    SentTimestamp: String(message.sentMs),
    ApproximateReceiveCount: String(message.receiveCount),
    ApproximateFirstReceiveTimestamp:
      message.firstReceiveMs !== undefined
        ? String(message.firstReceiveMs)
        : undefined,
    DeadLetterQueueSourceArn: message.deadLetterSourceArn,
  };
  const attributes = Object.fromEntries(
    wanted.filter(n => all[n] !== undefined).map(n => [n, all[n]!]),
  );
  return {
    MessageId: message.messageId,
    ReceiptHandle: message.receiptHandle,
    MD5OfBody: message.md5OfBody,
    Body: message.body,
    ...(Object.keys(attributes).length > 0 && { Attributes: attributes }),
  };
}

/** The entries of a batch request: 1 to 10, distinct ids of at most 80 alphanumerics, hyphens or underscores. */
function batchEntries(input: Input): Input[] {
  const entries = input.Entries;
  if (!Array.isArray(entries) || entries.length === 0)
    throw new SqsError(
      'EmptyBatchRequest',
      'There should be at least one DeleteMessageBatchRequestEntry in the request.',
    );
  if (entries.length > 10)
    throw new SqsError(
      'TooManyEntriesInBatchRequest',
      `Maximum number of entries per request are 10. You have sent ${entries.length}.`,
    );
  const ids = new Set<string>();
  for (const entry of entries as Input[]) {
    const id = str(entry, 'Id', true);
    if (!/^[a-zA-Z0-9_-]{1,80}$/.test(id))
      throw new SqsError(
        'InvalidBatchEntryId',
        'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
      );
    if (ids.has(id))
      throw new SqsError('BatchEntryIdsNotDistinct', `Id ${id} repeated.`);
    ids.add(id);
  }
  return entries as Input[];
}

export const sqsHandlers: Record<string, SqsHandler> = {
  CreateQueue: (input, ctx) => {
    const name = str(input, 'QueueName', true);
    const queue = ctx.queues.create(
      name,
      ctx.accountId,
      stringMap(input, 'Attributes'),
    );
    return { QueueUrl: queueUrl(ctx, queue) };
  },

  GetQueueUrl: (input, ctx) => {
    const queue = ctx.queues.get(str(input, 'QueueName', true));
    const owner = str(input, 'QueueOwnerAWSAccountId');
    if (!queue || (owner && owner !== queue.accountId))
      throw queueDoesNotExist();
    return { QueueUrl: queueUrl(ctx, queue) };
  },

  ListQueues: (input, ctx) => {
    const prefix = str(input, 'QueueNamePrefix') ?? '';
    const urls = ctx.queues
      .list()
      .filter(q => q.name.startsWith(prefix))
      .map(q => queueUrl(ctx, q));
    return urls.length > 0 ? { QueueUrls: urls } : {};
  },

  GetQueueAttributes: (input, ctx) => {
    const queue = requireQueue(input, ctx);
    const attributes = queueAttributes(
      ctx,
      queue,
      stringList(input, 'AttributeNames'),
    );
    return Object.keys(attributes).length > 0 ? { Attributes: attributes } : {};
  },

  SetQueueAttributes: (input, ctx) => {
    ctx.queues.setAttributes(
      requireQueue(input, ctx),
      stringMap(input, 'Attributes'),
    );
    return {};
  },

  DeleteQueue: (input, ctx) => {
    ctx.queues.delete(requireQueue(input, ctx));
    return {};
  },

  PurgeQueue: (input, ctx) => {
    ctx.queues.purge(requireQueue(input, ctx));
    return {};
  },

  SendMessage: (input, ctx) => {
    const queue = requireQueue(input, ctx);
    const body = str(input, 'MessageBody', true);
    const delay = int(
      input,
      'DelaySeconds',
      [0, 900],
      'Must be >= 0 and <= 900, if provided.',
    );
    const message = ctx.queues.send(queue, body, delay);
    return {
      MD5OfMessageBody: message.md5OfBody,
      MessageId: message.messageId,
    };
  },

  ReceiveMessage: async (input, ctx) => {
    const queue = requireQueue(input, ctx);
    const max =
      int(
        input,
        'MaxNumberOfMessages',
        [1, 10],
        'Must be between 1 and 10, if provided.',
      ) ?? 1;
    const visibility = int(
      input,
      'VisibilityTimeout',
      [0, 43200],
      'Must be >= 0 and <= 43200, if provided.',
    );
    const wait =
      int(
        input,
        'WaitTimeSeconds',
        [0, 20],
        'Must be >= 0 and <= 20, if provided.',
      ) ?? Number(queue.attributes.ReceiveMessageWaitTimeSeconds);
    const names = [
      ...stringList(input, 'AttributeNames'),
      ...stringList(input, 'MessageSystemAttributeNames'),
    ];
    const messages = await ctx.queues.receiveWaiting(
      queue,
      max,
      wait,
      visibility,
    );
    return messages.length > 0
      ? { Messages: messages.map(m => renderMessage(m, names, queue)) }
      : {};
  },

  DeleteMessage: (input, ctx) => {
    const queue = requireQueue(input, ctx);
    ctx.queues.deleteMessage(queue, str(input, 'ReceiptHandle', true));
    return {};
  },

  DeleteMessageBatch: (input, ctx) => {
    const queue = requireQueue(input, ctx);
    const successful: { Id: string }[] = [];
    const failed: Record<string, unknown>[] = [];
    for (const entry of batchEntries(input)) {
      const id = entry.Id as string;
      try {
        ctx.queues.deleteMessage(queue, str(entry, 'ReceiptHandle', true));
        successful.push({ Id: id });
      } catch (error) {
        if (!(error instanceof SqsError)) throw error;
        failed.push({
          Id: id,
          SenderFault: true,
          Code: error.queryCode,
          Message: error.message,
        });
      }
    }
    return { Successful: successful, Failed: failed };
  },

  ChangeMessageVisibility: (input, ctx) => {
    const queue = requireQueue(input, ctx);
    const handle = str(input, 'ReceiptHandle', true);
    if (input.VisibilityTimeout === undefined)
      throw missingParameter('VisibilityTimeout');
    const seconds = int(
      input,
      'VisibilityTimeout',
      [0, 43200],
      'Must be >= 0 and <= 43200, if provided.',
    )!;
    ctx.queues.changeVisibility(queue, handle, seconds);
    return {};
  },
};
