import { randomBytes, randomUUID } from 'node:crypto';
import type { Reply } from '../http';
import { textReply } from '../http';
import { hexFrom } from '../ids';
import type { World } from '../state/World';

/*
 * STS speaks the awsQuery protocol: form-encoded `Action=…&Version=2011-06-15` in, XML out. GetCallerIdentity and
 * AssumeRole are enough for the AWS credential chains our backend uses (role assumption into the management or
 * delegated-admin account). Credentials from AssumeRole are remembered, so calls signed with them act as that
 * account (and are denied where a member account would be).
 */

const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

class StsError extends Error {
  constructor(readonly code: string, message: string, readonly status = 400) {
    super(message);
  }
}

const xmlEscape = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

function xmlReply(action: string, result: string): Reply {
  const requestId = randomUUID();
  return textReply(
    200,
    `<${action}Response xmlns="${NS}">\n  <${action}Result>\n${result}  </${action}Result>\n  <ResponseMetadata>\n    <RequestId>${requestId}</RequestId>\n  </ResponseMetadata>\n</${action}Response>\n`,
    { 'x-amzn-requestid': requestId },
    'text/xml',
  );
}

export function stsErrorReply(
  code: string,
  message: string,
  status = 400,
): Reply {
  const requestId = randomUUID();
  return textReply(
    status,
    `<ErrorResponse xmlns="${NS}">\n  <Error>\n    <Type>Sender</Type>\n    <Code>${code}</Code>\n    <Message>${xmlEscape(
      message,
    )}</Message>\n  </Error>\n  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`,
    { 'x-amzn-requestid': requestId },
    'text/xml',
  );
}

export function stsAction(body: string): string | undefined {
  return new URLSearchParams(body).get('Action') ?? undefined;
}

export function handleSts(
  body: string,
  options: { world: World; accessKeyId?: string },
): Reply {
  const params = new URLSearchParams(body);
  const action = params.get('Action') ?? '';
  try {
    if (action === 'GetCallerIdentity')
      return getCallerIdentity(options.world, options.accessKeyId);
    if (action === 'AssumeRole') return assumeRole(options.world, params);
    throw new StsError(
      'InvalidAction',
      `Could not find operation ${action} for version ${
        params.get('Version') ?? ''
      }`,
    );
  } catch (error) {
    if (error instanceof StsError)
      return stsErrorReply(error.code, error.message, error.status);
    throw error;
  }
}

function getCallerIdentity(
  world: World,
  accessKeyId: string | undefined,
): Reply {
  const session = accessKeyId ? world.sessions.get(accessKeyId) : undefined;
  const account = session?.accountId ?? world.organization.managementAccountId;
  const arn = session
    ? `arn:aws:sts::${account}:assumed-role/${session.roleName}/${session.sessionName}`
    : `arn:aws:iam::${account}:user/emulator`;
  const userId = session
    ? `${session.roleId}:${session.sessionName}`
    : `AIDA${hexFrom(17, account, 'user').toUpperCase()}`;
  return xmlReply(
    'GetCallerIdentity',
    `    <Arn>${xmlEscape(arn)}</Arn>\n    <UserId>${xmlEscape(
      userId,
    )}</UserId>\n    <Account>${account}</Account>\n`,
  );
}

function assumeRole(world: World, params: URLSearchParams): Reply {
  const roleArn = params.get('RoleArn');
  const sessionName = params.get('RoleSessionName');
  const duration = Number(params.get('DurationSeconds') ?? 3600);
  if (!roleArn)
    throw new StsError(
      'ValidationError',
      "1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null",
    );
  if (!sessionName)
    throw new StsError(
      'ValidationError',
      "1 validation error detected: Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null",
    );
  const match =
    /^arn:aws(-[a-z]+)*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/.exec(
      roleArn,
    );
  if (!match) throw new StsError('ValidationError', `${roleArn} is invalid`);
  if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) {
    throw new StsError(
      'ValidationError',
      `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
    );
  }
  if (!Number.isInteger(duration) || duration < 900 || duration > 43200) {
    throw new StsError(
      'ValidationError',
      `1 validation error detected: Value '${duration}' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200`,
    );
  }
  const accountId = match[2];
  const roleName = match[3];
  const accessKeyId = `ASIA${randomBytes(12)
    .toString('hex')
    .toUpperCase()
    .slice(0, 16)}`;
  const roleId = `AROA${hexFrom(17, roleArn).toUpperCase()}`;
  const expiresMs = world.clock.nowMs() + duration * 1000;
  world.sessions.set(accessKeyId, {
    accountId,
    roleArn,
    roleName,
    sessionName,
    roleId,
    expiresMs,
  });
  return xmlReply(
    'AssumeRole',
    [
      '    <AssumedRoleUser>',
      `      <Arn>arn:aws:sts::${accountId}:assumed-role/${xmlEscape(
        roleName,
      )}/${xmlEscape(sessionName)}</Arn>`,
      `      <AssumedRoleId>${roleId}:${xmlEscape(
        sessionName,
      )}</AssumedRoleId>`,
      '    </AssumedRoleUser>',
      '    <Credentials>',
      `      <AccessKeyId>${accessKeyId}</AccessKeyId>`,
      `      <SecretAccessKey>${randomBytes(30).toString(
        'base64',
      )}</SecretAccessKey>`,
      `      <SessionToken>${randomBytes(96).toString(
        'base64',
      )}</SessionToken>`,
      `      <Expiration>${new Date(expiresMs).toISOString()}</Expiration>`,
      '    </Credentials>',
      '    <PackedPolicySize>0</PackedPolicySize>',
      '',
    ].join('\n'),
  );
}
