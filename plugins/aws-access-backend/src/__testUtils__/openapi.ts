import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

// eslint-disable-next-line no-restricted-syntax -- tests run from source
const spec = parse(
  fs.readFileSync(path.resolve(__dirname, '../../openapi.yaml'), 'utf8'),
);
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(spec, 'openapi');

const pointer = (...parts: string[]) =>
  parts.map(p => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/** Matches a request path against the spec's path templates. */
function findPath(requestPath: string): string | undefined {
  const clean = requestPath.replace(/^\/api\/aws-access/, '').split('?')[0];
  return Object.keys(spec.paths).find(template => {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    return pattern.test(clean);
  });
}

/**
 * Checks that a real response is documented in openapi.yaml: the path, method and status exist, and a JSON body
 * validates against the documented schema. Returns the problems (empty when it conforms).
 */
export function openApiProblems(
  method: string,
  requestPath: string,
  status: number,
  contentType: string | undefined,
  body: unknown,
): string[] {
  const template = findPath(requestPath);
  if (!template) return [`${method} ${requestPath}: path not in openapi.yaml`];
  const operation = spec.paths[template][method.toLowerCase()];
  if (!operation) return [`${method} ${template}: method not in openapi.yaml`];
  let response = operation.responses[String(status)];
  if (!response)
    return [`${method} ${template}: status ${status} not documented`];
  let responsePointer = `#/${pointer(
    'paths',
    template,
    method.toLowerCase(),
    'responses',
    String(status),
  )}`;
  if (response.$ref) {
    responsePointer = response.$ref;
    response = response.$ref
      .split('/')
      .slice(1)
      .reduce((node: any, key: string) => node[key], spec);
  }
  // HEAD and 304 answers have no body: documented by their status, and not with a body they cannot have.
  if (method.toUpperCase() === 'HEAD' || status === 304)
    return response.content
      ? [`${method} ${template} ${status}: documents a body it cannot have`]
      : [];
  const mediaType = contentType?.startsWith('text/')
    ? contentType.split(';')[0].trim()
    : 'application/json';
  if (!response.content?.[mediaType])
    return [`${method} ${template} ${status}: ${mediaType} not documented`];
  if (mediaType !== 'application/json') return [];
  const validate = ajv.compile({
    $ref: `openapi${responsePointer}/${pointer(
      'content',
      mediaType,
      'schema',
    )}`,
  });
  if (validate(body)) return [];
  return (validate.errors ?? []).map(
    e =>
      `${method} ${template} ${status}: ${e.instancePath || '(body)'} ${
        e.message
      }`,
  );
}
