import type { YAMLSeq } from 'yaml';
import { Document, isMap, isSeq } from 'yaml';
import type { Scenario } from './types';

// Lists whose items read best one per line, as in the seed file.
const FLOW_ITEM_LISTS = [
  ['entra', 'users'],
  ['entra', 'groups'],
  ['identityCenter', 'accounts'],
  ['identityCenter', 'assignments'],
  ['identityCenter', 'provisioned', 'drift'],
  ['identityCenter', 'provisioned', 'unmanaged', 'users'],
  ['identityCenter', 'provisioned', 'unmanaged', 'groups'],
];

/**
 * A scenario as YAML that parseScenario reads back to the same object.
 *
 * @public
 */
export function scenarioToYaml(scenario: Scenario): string {
  const doc = new Document(scenario);
  for (const path of FLOW_ITEM_LISTS) {
    const seq = doc.getIn(path, true);
    if (!isSeq(seq)) continue;
    for (const item of (seq as YAMLSeq).items) {
      if (isMap(item)) item.flow = true;
    }
  }
  return doc.toString({ lineWidth: 0, flowCollectionPadding: true });
}
