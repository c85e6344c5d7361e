/** One problem found in a scenario. @public */
export interface ScenarioIssue {
  file: string;
  /** 1-based; absent for scenarios given as objects. */
  line?: number;
  column?: number;
  /** `identityCenter.accounts[2].status` */
  path: string;
  problem: string;
}

export type IssuePath = (string | number)[];

export function formatPath(path: IssuePath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') {
      out += `[${part}]`;
    } else {
      out += out ? `.${part}` : part;
    }
  }
  return out || '(root)';
}

export function formatIssue(issue: ScenarioIssue): string {
  const where = issue.line
    ? `${issue.file}:${issue.line}:${issue.column ?? 1}`
    : issue.file;
  return `${where}: ${issue.path}: ${issue.problem}`;
}

/**
 * A scenario that cannot be loaded. `file`, `line`, `path` and `problem` describe the first issue; `issues` lists
 * all of them.
 *
 * @public
 */
export class ScenarioValidationError extends Error {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  readonly path: string;
  readonly problem: string;
  readonly issues: ScenarioIssue[];

  constructor(issues: ScenarioIssue[]) {
    const [first] = issues;
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    const list =
      issues.length > 1
        ? `\n${issues.map(issue => `  ${formatIssue(issue)}`).join('\n')}`
        : '';
    super(`Invalid scenario: ${formatIssue(first)}${more}${list}`);
    this.name = 'ScenarioValidationError';
    this.file = first.file;
    this.line = first.line;
    this.column = first.column;
    this.path = first.path;
    this.problem = first.problem;
    this.issues = issues;
  }
}
