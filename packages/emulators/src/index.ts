/**
 * Local AWS IAM Identity Center, Organizations, STS and Microsoft Graph emulators, loaded from scenario files, for
 * tests, the demo and benchmarks. The real SDK clients talk to them over HTTP(S).
 *
 * @packageDocumentation
 */

export { startEmulators } from './startEmulators';
export type { Emulators, StartEmulatorsOptions } from './startEmulators';
export { EmulatorControlClient, EmulatorControlError } from './control/client';
export type { EntraUserSummary } from './control/client';
export type { EmulatorState } from './control/state';
export {
  loadScenario,
  parseScenario,
  validateScenario,
} from './scenario/parse';
export {
  DEFAULT_APP_REGISTRATION,
  normalizeScenario,
} from './scenario/normalize';
export { ScenarioValidationError } from './scenario/errors';
export type { ScenarioIssue } from './scenario/errors';
export { generateScenario, SCENARIO_SIZES } from './scenario/generate';
export type { GenerateScenarioOptions } from './scenario/generate';
export { scenarioToYaml } from './scenario/toYaml';
export type * from './scenario/types';
export type * from './scenario/normalized';
export type { ScimChange, ScimCycleResult } from './scim/ScimBridge';
export type { CounterSnapshot } from './Counters';
export type { ActiveFault } from './faults/FaultInjector';
export type { EventDeliveryStats } from './events/EventDelivery';
