/*
 * SQS errors. The JSON protocol answers `__type: com.amazonaws.sqs#<Shape>` and, because SQS is
 * awsQueryCompatible, `x-amzn-query-error: <query code>;Sender`, which the SDKs and the CLI report as the error
 * code; the query protocol answers an ErrorResponse with the same query code. Codes and statuses are the
 * `@awsQueryError` traits of the service model.
 */

const ERRORS: Record<string, { queryCode: string; status: number }> = {
  QueueDoesNotExist: {
    queryCode: 'AWS.SimpleQueueService.NonExistentQueue',
    status: 400,
  },
  QueueNameExists: { queryCode: 'QueueAlreadyExists', status: 400 },
  ReceiptHandleIsInvalid: { queryCode: 'ReceiptHandleIsInvalid', status: 404 },
  MessageNotInflight: {
    queryCode: 'AWS.SimpleQueueService.MessageNotInflight',
    status: 400,
  },
  InvalidAttributeName: { queryCode: 'InvalidAttributeName', status: 400 },
  InvalidAttributeValue: { queryCode: 'InvalidAttributeValue', status: 400 },
  InvalidParameterValue: { queryCode: 'InvalidParameterValue', status: 400 },
  MissingParameter: { queryCode: 'MissingParameter', status: 400 },
  TooManyEntriesInBatchRequest: {
    queryCode: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
    status: 400,
  },
  EmptyBatchRequest: {
    queryCode: 'AWS.SimpleQueueService.EmptyBatchRequest',
    status: 400,
  },
  BatchEntryIdsNotDistinct: {
    queryCode: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
    status: 400,
  },
  InvalidBatchEntryId: {
    queryCode: 'AWS.SimpleQueueService.InvalidBatchEntryId',
    status: 400,
  },
  InvalidAddress: { queryCode: 'InvalidAddress', status: 404 },
  InvalidAction: { queryCode: 'InvalidAction', status: 400 },
  RequestThrottled: { queryCode: 'RequestThrottled', status: 403 },
  InternalError: { queryCode: 'InternalError', status: 500 },
};

export class SqsError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }

  get queryCode(): string {
    return ERRORS[this.code]?.queryCode ?? this.code;
  }

  get status(): number {
    return ERRORS[this.code]?.status ?? 400;
  }

  /** `Sender` for the caller's mistakes, `Receiver` for the service's. */
  get fault(): 'Sender' | 'Receiver' {
    return this.status >= 500 ? 'Receiver' : 'Sender';
  }
}

export const queueDoesNotExist = () =>
  new SqsError('QueueDoesNotExist', 'The specified queue does not exist.');

export const missingParameter = (name: string) =>
  new SqsError(
    'MissingParameter',
    `The request must contain the parameter ${name}.`,
  );
