#!/usr/bin/env node
// Writes, from openapi.yaml, what the router is built from: src/schema/openapi.json (the spec the router validates
// requests against) and src/schema/openapi.generated.ts (the map of its endpoints: path, query and body
// parameters, success response, which types the router). Response and body schemas that name a component are
// typed by the type of that name in @aws-access/plugin-aws-access-common, so a component the types do not have
// fails the type-check.
//
// `backstage-repo-tools package schema openapi generate --server` does the same with generated models, but needs
// a Java generator that is not available offline. With --check, this only verifies that the committed module
// matches the YAML (`./run test` runs it) and exits 1 if not. Either way it first checks that every GET sent
// whole has its HEAD declared alike (headProblems), and exits 1 if not.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const packageDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
);
const require = createRequire(path.join(packageDir, 'package.json'));
const YAML = require('yaml');
const prettier = require('prettier');

const yamlPath = path.join(packageDir, 'openapi.yaml');
const modulePath = path.join(packageDir, 'src/schema/openapi.generated.ts');
const jsonPath = path.join(packageDir, 'src/schema/openapi.json');
const METHODS = ['get', 'post', 'put', 'delete', 'patch'];

const spec = YAML.parse(fs.readFileSync(yamlPath, 'utf8'));

/** A local `$ref` resolved to the object it points at. */
function resolve(node) {
  if (!node?.$ref) return node;
  return node.$ref
    .replace(/^#\//, '')
    .split('/')
    .reduce((at, key) => at[key], spec);
}

/** The TypeScript type of a JSON schema; a component reference is the common type of that name. */
function tsType(schema) {
  if (!schema) return 'unknown';
  if (schema.$ref) {
    return `Api.${schema.$ref.split('/').pop()}`;
  }
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map(v => JSON.stringify(v)).join(' | ');
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives) return alternatives.map(tsType).join(' | ');
  switch (schema.type) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array':
      return `Array<${tsType(schema.items)}>`;
    case 'object':
      return objectType(schema.properties ?? {}, schema.required ?? []);
    default:
      return 'unknown';
  }
}

function objectType(properties, required) {
  const fields = Object.entries(properties).map(
    ([name, schema]) =>
      `${JSON.stringify(name)}${required.includes(name) ? '' : '?'}: ${tsType(
        schema,
      )}`,
  );
  return fields.length > 0
    ? `{ ${fields.join('; ')} }`
    : 'Record<string, never>';
}

/** Path or query parameters of an operation as an object type. */
function parametersType(operation, location) {
  const parameters = (operation.parameters ?? [])
    .map(resolve)
    .filter(p => p.in === location);
  return objectType(
    Object.fromEntries(parameters.map(p => [p.name, p.schema])),
    parameters.filter(p => p.required).map(p => p.name),
  );
}

/** The success response's body: JSON by its schema, CSV and other text as a string. */
function responseType(operation) {
  const [, success] =
    Object.entries(operation.responses ?? {}).find(([status]) =>
      /^2\d\d$/.test(status),
    ) ?? [];
  const content = resolve(success)?.content ?? {};
  const types = Object.entries(content).map(([mediaType, media]) =>
    mediaType === 'application/json' ? tsType(media.schema) : 'string',
  );
  return types.length > 0 ? types.join(' | ') : 'void';
}

function endpoint(template, method, operation) {
  const key = `#${method === 'delete' ? '_delete' : method}|${template}`;
  const fields = [
    `path: ${parametersType(operation, 'path')};`,
    `query: ${parametersType(operation, 'query')};`,
    ...(operation.requestBody
      ? [
          `body: ${tsType(
            resolve(operation.requestBody).content?.['application/json']
              ?.schema,
          )};`,
        ]
      : []),
    `response: ${responseType(operation)};`,
  ];
  return `  ${JSON.stringify(key)}: { ${fields.join(' ')} };`;
}

/**
 * Express answers HEAD through the GET route, and the validator refuses (404) a method the spec does not declare.
 * A GET whose body is sent whole documents 304 (express gives it an ETag), and then the spec declares its HEAD:
 * the GET's parameters and security, and its statuses without a body. A streamed GET (no ETag, no 304) declares
 * none: HEAD would build the whole stream to discard it and could tell nothing but the status.
 */
function headProblems() {
  return Object.entries(spec.paths).flatMap(([template, { get, head }]) => {
    const sentWhole = Boolean(get?.responses?.['304']);
    if (!head) {
      return sentWhole
        ? [
            `HEAD ${template} is not declared, but its GET is sent whole (it documents 304): declare it as the other paths do`,
          ]
        : [];
    }
    if (!sentWhole) {
      return [
        `HEAD ${template} is declared, but there is no GET sent whole (documenting 304) to answer it`,
      ];
    }
    const same = (a, b) => JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
    return [
      ...(same(head.parameters, get.parameters)
        ? []
        : [`HEAD ${template}: parameters differ from its GET's`]),
      ...(same(head.security, get.security)
        ? []
        : [`HEAD ${template}: security differs from its GET's`]),
      ...(same(
        Object.keys(head.responses).sort(),
        Object.keys(get.responses).sort(),
      )
        ? []
        : [`HEAD ${template}: statuses differ from its GET's`]),
      ...Object.entries(head.responses)
        .filter(([, response]) => resolve(response).content)
        .map(
          ([status]) =>
            `HEAD ${template} ${status}: documents a body it cannot have`,
        ),
    ];
  });
}

const problems = headProblems();
if (problems.length > 0) {
  for (const problem of problems) console.error(`openapi.yaml: ${problem}`);
  process.exit(1);
}

const endpoints = Object.entries(spec.paths).flatMap(([template, item]) =>
  METHODS.filter(method => item[method]).map(method =>
    endpoint(template, method, item[method]),
  ),
);

const source = `// ******************************************************************
// * THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY. *
// ******************************************************************
// Generated from openapi.yaml by scripts/openapi-module.mjs; \`./run test\` checks that it matches.
import type * as Api from '@aws-access/plugin-aws-access-common';

/** Every endpoint of openapi.yaml: its path and query parameters, request body and success response. */
export type EndpointMap = {
${endpoints.join('\n')}
};
`;
const options = (await prettier.resolveConfig(modulePath)) ?? {};
const outputs = [
  [modulePath, prettier.format(source, { ...options, filepath: modulePath })],
  [
    jsonPath,
    prettier.format(JSON.stringify(spec), { ...options, filepath: jsonPath }),
  ],
];

if (process.argv.includes('--check')) {
  const stale = outputs.filter(
    ([file, text]) =>
      !fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text,
  );
  for (const [file] of stale) {
    console.error(
      `${path.relative(
        process.cwd(),
        file,
      )} does not match openapi.yaml; run node ${path.relative(
        process.cwd(),
        fileURLToPath(import.meta.url),
      )}`,
    );
  }
  if (stale.length > 0) process.exit(1);
  console.log('src/schema matches openapi.yaml');
} else {
  for (const [file, text] of outputs) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
  }
}
