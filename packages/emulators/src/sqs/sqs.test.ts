import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { startSeed } from '../__testUtils__/clients';
import type { Emulators } from '../startEmulators';

/*
 * SQS through the real @aws-sdk/client-sqs (JSON protocol) and, by hand, through the query protocol older CLIs
 * speak: long polls, visibility timeouts on the emulator clock, redrive to a dead-letter queue, and the errors.
 */

describe('SQS', () => {
  let emulators: Emulators;
  let sqs: SQSClient;

  beforeAll(async () => {
    emulators = await startSeed();
    sqs = new SQSClient({
      region: 'eu-west-1',
      endpoint: emulators.awsEndpoint,
      credentials: { accessKeyId: 'AKIAEMULATOR', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    sqs.destroy();
    await emulators.close();
  });

  let counter = 0;
  async function queue(attributes: Record<string, string> = {}) {
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({
        QueueName: `test-${++counter}`,
        Attributes: attributes,
      }),
    );
    return QueueUrl!;
  }
  const receive = (QueueUrl: string, extra: Record<string, unknown> = {}) =>
    sqs
      .send(
        new ReceiveMessageCommand({
          QueueUrl,
          MaxNumberOfMessages: 10,
          MessageSystemAttributeNames: ['All'],
          ...extra,
        }),
      )
      .then(r => r.Messages ?? []);

  it('should create queues idempotently and answer their URL and attributes', async () => {
    const url = await queue({ VisibilityTimeout: '45' });
    const account =
      emulators.scenario.identityCenter.organization.managementAccountId;
    expect(url).toBe(`${emulators.awsEndpoint}/${account}/test-${counter}`);
    const again = await sqs.send(
      new CreateQueueCommand({
        QueueName: `test-${counter}`,
        Attributes: { VisibilityTimeout: '45' },
      }),
    );
    expect(again.QueueUrl).toBe(url);
    await expect(
      sqs.send(
        new CreateQueueCommand({
          QueueName: `test-${counter}`,
          Attributes: { VisibilityTimeout: '10' },
        }),
      ),
    ).rejects.toMatchObject({ name: 'QueueNameExists' });
    expect(
      (await sqs.send(new GetQueueUrlCommand({ QueueName: `test-${counter}` })))
        .QueueUrl,
    ).toBe(url);
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }),
    );
    expect(Attributes).toMatchObject({
      VisibilityTimeout: '45',
      ApproximateNumberOfMessages: '0',
      QueueArn: `arn:aws:sqs:${emulators.scenario.identityCenter.region}:${account}:test-${counter}`,
    });
  });

  it('should answer the errors in their AWS shapes', async () => {
    await expect(
      sqs.send(new GetQueueUrlCommand({ QueueName: 'nope' })),
    ).rejects.toMatchObject({
      name: 'QueueDoesNotExist',
      $metadata: { httpStatusCode: 400 },
    });
    const url = await queue();
    await expect(
      receive(url, { MaxNumberOfMessages: 11 }),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message:
        'Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.',
    });
    await expect(
      sqs.send(
        new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: 'garbage' }),
      ),
    ).rejects.toMatchObject({
      name: 'ReceiptHandleIsInvalid',
      $metadata: { httpStatusCode: 404 },
    });
    await expect(
      queue({
        RedrivePolicy:
          '{"deadLetterTargetArn":"arn:aws:sqs:eu-west-1:1:none","maxReceiveCount":3}',
      }),
    ).rejects.toMatchObject({ name: 'InvalidAttributeValue' });
  });

  it('should long-poll until a message arrives, and return empty when the wait ends', async () => {
    const url = await queue();
    const started = Date.now();
    expect(await receive(url, { WaitTimeSeconds: 1 })).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);

    const waiting = receive(url, { WaitTimeSeconds: 10 });
    await new Promise(resolve => setTimeout(resolve, 200));
    await sqs.send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: 'hi' }),
    );
    const [message] = await waiting;
    expect(message).toMatchObject({
      Body: 'hi',
      MD5OfBody: '49f68a5c8493ec2c0bf489821c21fc3b',
      Attributes: { ApproximateReceiveCount: '1' },
    });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('should hide a received message for its visibility timeout, on the emulator clock', async () => {
    const url = await queue({ VisibilityTimeout: '30' });
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'a' }));
    const [first] = await receive(url);
    expect(await receive(url)).toEqual([]);

    await emulators.control.advanceClock(31);
    const [second] = await receive(url);
    expect(second).toMatchObject({
      MessageId: first.MessageId,
      Attributes: { ApproximateReceiveCount: '2' },
    });
    // The first receipt handle is outdated: deleting with it leaves the message.
    await sqs.send(
      new DeleteMessageCommand({
        QueueUrl: url,
        ReceiptHandle: first.ReceiptHandle,
      }),
    );
    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: url,
        ReceiptHandle: second.ReceiptHandle,
        VisibilityTimeout: 0,
      }),
    );
    const [third] = await receive(url);
    expect(third.MessageId).toBe(first.MessageId);
    await sqs.send(
      new DeleteMessageCommand({
        QueueUrl: url,
        ReceiptHandle: third.ReceiptHandle,
      }),
    );
    await expect(
      sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: url,
          ReceiptHandle: third.ReceiptHandle,
          VisibilityTimeout: 5,
        }),
      ),
    ).rejects.toMatchObject({ name: 'MessageNotInflight' });
    await emulators.control.advanceClock(31);
    expect(await receive(url)).toEqual([]);
  });

  it('should move a message to the dead-letter queue once its receives reach maxReceiveCount', async () => {
    const dlq = await queue();
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: dlq,
        AttributeNames: ['QueueArn'],
      }),
    );
    const url = await queue({
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: Attributes!.QueueArn,
        maxReceiveCount: 2,
      }),
    });
    await sqs.send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: 'poison' }),
    );
    expect(await receive(url, { VisibilityTimeout: 0 })).toHaveLength(1);
    expect(await receive(url, { VisibilityTimeout: 0 })).toHaveLength(1);
    expect(await receive(url, { VisibilityTimeout: 0 })).toEqual([]);
    const [dead] = await receive(dlq);
    expect(dead).toMatchObject({
      Body: 'poison',
      Attributes: {
        DeadLetterQueueSourceArn: expect.stringContaining(':test-'),
      },
    });
  });

  it('should delete in batches, reporting each entry', async () => {
    const url = await queue();
    for (const body of ['1', '2'])
      await sqs.send(
        new SendMessageCommand({ QueueUrl: url, MessageBody: body }),
      );
    const messages = await receive(url);
    const result = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          ...messages.map((m, i) => ({
            Id: `m${i}`,
            ReceiptHandle: m.ReceiptHandle,
          })),
          { Id: 'bad', ReceiptHandle: 'not-a-handle' },
        ],
      }),
    );
    expect(result.Successful).toEqual([{ Id: 'm0' }, { Id: 'm1' }]);
    expect(result.Failed).toEqual([
      expect.objectContaining({
        Id: 'bad',
        Code: 'ReceiptHandleIsInvalid',
        SenderFault: true,
      }),
    ]);
    await expect(
      sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: [] })),
    ).rejects.toMatchObject({ name: 'EmptyBatchRequest' });
  });

  it('should speak the query protocol of older CLIs', async () => {
    const url = await queue();
    const form = async (params: Record<string, string>) => {
      const response = await fetch(emulators.awsEndpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ Version: '2012-11-05', ...params }),
      });
      return { status: response.status, text: await response.text() };
    };
    await form({ Action: 'SendMessage', QueueUrl: url, MessageBody: 'a<b' });
    const received = await form({
      Action: 'ReceiveMessage',
      QueueUrl: url,
      'AttributeName.1': 'ApproximateReceiveCount',
    });
    expect(received.status).toBe(200);
    expect(received.text).toContain('<ReceiveMessageResult><Message>');
    expect(received.text).toContain('<Body>a&lt;b</Body>');
    expect(received.text).toContain(
      '<Attribute><Name>ApproximateReceiveCount</Name><Value>1</Value></Attribute>',
    );
    const missing = await form({
      Action: 'GetQueueUrl',
      QueueName: 'missing',
    });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain(
      '<Code>AWS.SimpleQueueService.NonExistentQueue</Code>',
    );
  });
});
