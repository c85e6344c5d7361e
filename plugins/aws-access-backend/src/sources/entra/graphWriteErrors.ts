/*
 * What Graph answers when a membership write finds the membership already as asked. The writes are idempotent
 * (a request interrupted between its Entra write and our commit repeats the write after a restart), so these
 * answers are the write's success, decided before the retry loop classifies anything as a failure.
 */

type GraphErrorLike = {
  statusCode?: unknown;
  code?: unknown;
  message?: unknown;
};

function parts(error: unknown): GraphErrorLike {
  return error && typeof error === 'object' ? (error as GraphErrorLike) : {};
}

/** `POST /groups/{id}/members/$ref` for a member who is in: 400 "…references already exist…". */
export function isAlreadyMember(error: unknown): boolean {
  const { statusCode, message } = parts(error);
  return (
    statusCode === 400 &&
    /added object references already exist/i.test(String(message ?? ''))
  );
}

/**
 * `DELETE /groups/{id}/members/{userId}/$ref` for someone who is not a member: 404. Graph answers the same for a
 * deleted group or user, whose membership is just as gone.
 */
export function isNotMember(error: unknown): boolean {
  return parts(error).statusCode === 404;
}

/** PIM `adminAssign` of an assignment that exists: `RoleAssignmentExists`. */
export function isAssignmentExisting(error: unknown): boolean {
  return parts(error).code === 'RoleAssignmentExists';
}

/** PIM `adminRemove` of an assignment that does not exist (ended, expired, or never made). */
export function isAssignmentMissing(error: unknown): boolean {
  return parts(error).code === 'RoleAssignmentDoesNotExist';
}

/** Runs a write and treats the given "already so" answers as its success. */
export async function idempotent(
  write: () => Promise<unknown>,
  alreadyDone: (error: unknown) => boolean,
): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (!alreadyDone(error)) throw error;
  }
}
