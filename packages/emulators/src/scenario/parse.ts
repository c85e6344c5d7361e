import fs from 'node:fs';
import path from 'node:path';
import type { Document } from 'yaml';
import { isNode, LineCounter, parseDocument } from 'yaml';
import type { ScenarioIssue } from './errors';
import { formatPath, ScenarioValidationError } from './errors';
import { checkReferences } from './references';
import type { RawIssue } from './schema';
import { scenarioSchema } from './schema';
import type { Scenario } from './types';

/**
 * Parses and validates scenario YAML. Throws ScenarioValidationError naming file, line, path and problem.
 *
 * @public
 */
export function parseScenario(text: string, fileName = '<scenario>'): Scenario {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    prettyErrors: true,
    uniqueKeys: true,
  });
  if (doc.errors.length > 0) {
    throw new ScenarioValidationError(
      doc.errors.map(error => {
        const pos = error.linePos?.[0];
        return {
          file: fileName,
          ...(pos && { line: pos.line, column: pos.col }),
          path: '(yaml)',
          problem: error.message
            .split('\n')[0]
            .replace(/ at line \d+, column \d+:?$/, ''),
        };
      }),
    );
  }
  const value = doc.toJS({ maxAliasCount: 1000 });
  const issues = validate(value);
  if (issues.length > 0) {
    throw new ScenarioValidationError(
      issues.map(issue => locate(issue, doc, lineCounter, fileName)),
    );
  }
  return value as Scenario;
}

/**
 * Reads and validates a scenario file.
 *
 * @public
 */
export function loadScenario(file: string): Scenario {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ScenarioValidationError([
      {
        file,
        path: '(file)',
        problem: `cannot read the scenario file: ${(error as Error).message}`,
      },
    ]);
  }
  const relative = path.relative(process.cwd(), file);
  return parseScenario(
    text,
    relative && !relative.startsWith('..') ? relative : file,
  );
}

/**
 * Validates a scenario given as an object (e.g. from generateScenario); issues carry paths but no lines.
 *
 * @public
 */
export function validateScenario(value: unknown, name = '<object>'): Scenario {
  const issues = validate(value);
  if (issues.length > 0) {
    throw new ScenarioValidationError(
      issues.map(issue => ({
        file: name,
        path: formatPath(issue.path),
        problem: issue.problem,
      })),
    );
  }
  return value as Scenario;
}

function validate(value: unknown): RawIssue[] {
  const issues: RawIssue[] = [];
  scenarioSchema(value, [], issues);
  // References only make sense on a structurally valid document.
  return issues.length > 0 ? issues : checkReferences(value as Scenario);
}

/** Finds the YAML node for an issue's path (or its nearest existing ancestor) to report a line. */
function locate(
  issue: RawIssue,
  doc: Document,
  lineCounter: LineCounter,
  file: string,
): ScenarioIssue {
  for (let depth = issue.path.length; depth >= 0; depth--) {
    const node =
      depth === 0 ? doc.contents : doc.getIn(issue.path.slice(0, depth), true);
    if (isNode(node) && node.range) {
      const pos = lineCounter.linePos(node.range[0]);
      return {
        file,
        line: pos.line,
        column: pos.col,
        path: formatPath(issue.path),
        problem: issue.problem,
      };
    }
  }
  return { file, path: formatPath(issue.path), problem: issue.problem };
}
