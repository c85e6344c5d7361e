import { randomUUID } from 'node:crypto';
import type { EmulatorRequest, Reply } from '../http';
import { jsonReply, textReply } from '../http';
import type { EmulatorRuntime } from '../runtime';
import { SqsError } from './errors';
import type { SqsContext } from './handlers';
import { sqsHandlers } from './handlers';

/*
 * SQS on the AWS port, in both of its protocols: awsJson1_0 (`X-Amz-Target: AmazonSQS.<Operation>`, what
 * @aws-sdk/client-sqs and recent CLIs speak) and the older awsQuery (form-encoded `Action=…`, XML answers, what
 * CLIs from before late 2023 such as Debian's awscli 2.9 speak). The query form is translated to the JSON members
 * and the JSON answer back to XML, so both run the same handlers.
 */

export const SQS_TARGET_PREFIX = 'AmazonSQS';

/** A form-encoded request naming an SQS action (checked before STS, whose actions differ). */
export function sqsQueryAction(
  request: EmulatorRequest,
  body: string,
): string | undefined {
  if (request.headers['x-amz-target']) return undefined;
  const action = new URLSearchParams(body).get('Action') ?? '';
  return Object.hasOwn(sqsHandlers, action) ? action : undefined;
}

export async function handleSqsJson(
  request: EmulatorRequest,
  runtime: EmulatorRuntime,
  operation: string,
): Promise<Reply> {
  const requestId = randomUUID();
  const answer = await run(request, runtime, operation, () => {
    const text = request.body.toString('utf8').trim();
    const input = text === '' ? {} : JSON.parse(text);
    if (typeof input !== 'object' || input === null || Array.isArray(input))
      throw new SqsError(
        'InvalidParameterValue',
        'The request body is not a JSON object.',
      );
    return input;
  });
  if (answer.kind !== 'result')
    return answer.reply ?? jsonError(answer.error!, requestId);
  return jsonReply(
    200,
    answer.output,
    { 'x-amzn-requestid': requestId },
    'application/x-amz-json-1.0',
  );
}

export async function handleSqsQuery(
  request: EmulatorRequest,
  runtime: EmulatorRuntime,
  action: string,
  body: string,
): Promise<Reply> {
  const requestId = randomUUID();
  const answer = await run(request, runtime, action, () =>
    fromForm(new URLSearchParams(body)),
  );
  if (answer.kind !== 'result')
    return answer.reply ?? xmlError(answer.error!, requestId);
  return textReply(
    200,
    `<?xml version="1.0"?><${action}Response xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><${action}Result>${toXml(
      action,
      answer.output!,
    )}</${action}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`,
    { 'x-amzn-requestid': requestId },
    'text/xml',
  );
}

type Answer =
  | {
      kind: 'result';
      output: Record<string, unknown>;
      reply?: undefined;
      error?: undefined;
    }
  | { kind: 'error'; error: SqsError; reply?: undefined; output?: undefined }
  | { kind: 'fault'; reply: Reply; error?: undefined; output?: undefined };

/** Counters, faults, then the handler; SqsErrors become answers, anything else is a bug and propagates. */
async function run(
  request: EmulatorRequest,
  runtime: EmulatorRuntime,
  operation: string,
  read: () => Record<string, unknown>,
): Promise<Answer> {
  runtime.counters.count('sqs', operation);
  const fault = runtime.faults.match('sqs', [operation]);
  if (fault?.kind === 'timeout')
    return { kind: 'fault', reply: { kind: 'hang' } };
  if (fault?.kind === 'reset')
    return { kind: 'fault', reply: { kind: 'reset' } };
  if (fault?.kind === 'http500')
    return {
      kind: 'error',
      error: new SqsError(
        'InternalError',
        'We encountered an internal error. Please try again.',
      ),
    };
  if (fault?.kind === 'throttle') {
    runtime.counters.throttled('sqs', operation);
    return {
      kind: 'error',
      error: new SqsError('RequestThrottled', 'Request is throttled.'),
    };
  }
  const handler = sqsHandlers[operation];
  if (!handler)
    return {
      kind: 'error',
      error: new SqsError(
        'InvalidAction',
        `The action ${operation} is not valid for this endpoint.`,
      ),
    };
  const ctx: SqsContext = {
    queues: runtime.sqs,
    accountId: runtime.world.organization.managementAccountId,
    origin: request.origin,
  };
  try {
    let input: Record<string, unknown>;
    try {
      input = read();
    } catch (error) {
      if (error instanceof SqsError) throw error;
      throw new SqsError(
        'InvalidParameterValue',
        'The request body could not be parsed.',
      );
    }
    return { kind: 'result', output: await handler(input, ctx) };
  } catch (error) {
    if (error instanceof SqsError) return { kind: 'error', error };
    throw error;
  }
}

function jsonError(error: SqsError, requestId: string): Reply {
  return jsonReply(
    error.status,
    { __type: `com.amazonaws.sqs#${error.code}`, message: error.message },
    {
      'x-amzn-requestid': requestId,
      'x-amzn-query-error': `${error.queryCode};${error.fault}`,
    },
    'application/x-amz-json-1.0',
  );
}

function xmlError(error: SqsError, requestId: string): Reply {
  return textReply(
    error.status,
    `<?xml version="1.0"?><ErrorResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><Error><Type>${
      error.fault
    }</Type><Code>${escape(error.queryCode)}</Code><Message>${escape(
      error.message,
    )}</Message><Detail/></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
    { 'x-amzn-requestid': requestId },
    'text/xml',
  );
}

/** Flattened query members (`Attribute.1.Name`, `AttributeName.1`, `DeleteMessageBatchRequestEntry.1.Id`). */
function fromForm(params: URLSearchParams): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  const lists: Record<string, string> = {
    AttributeName: 'AttributeNames',
    MessageSystemAttributeName: 'MessageSystemAttributeNames',
    MessageAttributeName: 'MessageAttributeNames',
  };
  const entries = new Map<string, Record<string, string>>();
  for (const [key, value] of params) {
    if (key === 'Action' || key === 'Version') continue;
    const parts = key.split('.');
    if (parts.length === 1) input[key] = value;
    else if (parts.length === 2 && lists[parts[0]])
      ((input[lists[parts[0]]] ??= []) as string[]).push(value);
    else if (parts.length === 3) {
      const group = `${parts[0]}.${parts[1]}`;
      const entry = entries.get(group) ?? {};
      entry[parts[2]] = value;
      entries.set(group, entry);
    }
  }
  for (const [group, entry] of entries) {
    const kind = group.split('.')[0];
    if (kind === 'Attribute')
      ((input.Attributes ??= {}) as Record<string, string>)[entry.Name] =
        entry.Value;
    else if (kind === 'Tag')
      ((input.tags ??= {}) as Record<string, string>)[entry.Key] = entry.Value;
    else ((input.Entries ??= []) as Record<string, string>[]).push(entry);
  }
  return input;
}

function escape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function element(name: string, value: unknown): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map(v => element(name, v)).join('');
  if (typeof value === 'object' && value !== null) {
    return `<${name}>${Object.entries(value)
      .map(([k, v]) => (k === 'Attributes' ? attributesXml(v) : element(k, v)))
      .join('')}</${name}>`;
  }
  return `<${name}>${escape(String(value))}</${name}>`;
}

/** A map as flattened `<Attribute><Name/><Value/></Attribute>` entries. */
function attributesXml(map: unknown): string {
  return Object.entries(map as Record<string, string>)
    .map(([Name, Value]) => element('Attribute', { Name, Value }))
    .join('');
}

/** The JSON answer as the query protocol's flattened XML. */
function toXml(action: string, output: Record<string, unknown>): string {
  const names: Record<string, string> = {
    Messages: 'Message',
    QueueUrls: 'QueueUrl',
    Successful: `${action}ResultEntry`,
    Failed: 'BatchResultErrorEntry',
  };
  return Object.entries(output)
    .map(([key, value]) =>
      key === 'Attributes'
        ? attributesXml(value)
        : element(names[key] ?? key, value),
    )
    .join('');
}
