import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  KubernetesValidatorFunctions,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { normalizeEntityName } from '@aws-access/plugin-aws-access-common';
import { cleanText, isValidEntityName } from '../sanitize';
import type { MappingReport } from './MappingReport';
import type { MappingOptions } from './types';

/** The location annotations of an entity this provider emits (one stable location per entity). */
export function locationAnnotations(
  providerId: string,
  kind: string,
  name: string,
): Record<string, string> {
  const location = `aws-access:${providerId}/${kind.toLocaleLowerCase(
    'en-US',
  )}/${encodeURIComponent(name)}`;
  return {
    [ANNOTATION_LOCATION]: location,
    [ANNOTATION_ORIGIN_LOCATION]: location,
  };
}

/**
 * A tag value as an entity ref: a full or partial ref (`group:default/x`, `default/x`) is parsed, a bare value is
 * normalized like msgraph names (`Backend Team` → `group:default/backend_team`). Undefined when unusable.
 */
export function tagValueToEntityRef(
  raw: string,
  defaultKind: string,
  allowedKinds: string[],
): string | undefined {
  const value = raw.trim();
  if (!value) {
    return undefined;
  }
  try {
    const ref =
      value.includes(':') || value.includes('/')
        ? parseEntityRef(value, { defaultKind, defaultNamespace: 'default' })
        : {
            kind: defaultKind,
            namespace: 'default',
            name: normalizeEntityName(value),
          };
    if (
      !allowedKinds.includes(ref.kind.toLocaleLowerCase('en-US')) ||
      !KubernetesValidatorFunctions.isValidNamespace(ref.namespace) ||
      !isValidEntityName(ref.name)
    ) {
      return undefined;
    }
    return stringifyEntityRef(ref);
  } catch {
    return undefined;
  }
}

type Tags = Record<string, string> | undefined;

/** `spec.owner` from the owner tag; the default owner when the tag is missing or unusable (noted). */
export function resolveOwner(
  tags: Tags,
  subject: string,
  options: MappingOptions,
  report: MappingReport,
): string {
  const raw = tags?.[options.ownerTag];
  if (typeof raw !== 'string' || !raw.trim()) {
    return options.defaultOwner;
  }
  const ref = tagValueToEntityRef(raw, 'group', ['group', 'user']);
  if (!ref) {
    report.note(
      subject,
      `tag '${options.ownerTag}' value '${cleanText(
        raw,
        80,
      )}' is not a usable group or user ref; owner is ${options.defaultOwner}`,
    );
    return options.defaultOwner;
  }
  return ref;
}

/** `spec.system` from the system tag, when one is configured and usable (an unusable value is noted). */
export function resolveSystem(
  tags: Tags,
  subject: string,
  options: MappingOptions,
  report: MappingReport,
): string | undefined {
  if (!options.systemTag) {
    return undefined;
  }
  const raw = tags?.[options.systemTag];
  if (typeof raw !== 'string' || !raw.trim()) {
    return undefined;
  }
  const ref = tagValueToEntityRef(raw, 'system', ['system']);
  if (!ref) {
    report.note(
      subject,
      `tag '${options.systemTag}' value '${cleanText(
        raw,
        80,
      )}' is not a usable system ref; spec.system left out`,
    );
  }
  return ref;
}
