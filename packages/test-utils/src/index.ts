/**
 * Test helpers shared by this repository's packages (private, never published): add it as a devDependency
 * instead of copying a helper into a package's `__testUtils__`.
 *
 * @packageDocumentation
 */

export { createCapturingLogger, logText } from './capturingLogger';
export type { LogRecord } from './capturingLogger';
export { eventually } from './eventually';
export { emulatorCaTrusted } from './emulatorCa';
export { emulatorConfigData, startTestEmulators } from './emulators';
export {
  HOSTILE_SCENARIO,
  IDENTITY_CENTER_ONLY_SCENARIO,
  REPO_ROOT,
  SEED_SANDBOX_BASELINE,
  SEED_SCENARIO,
} from './scenarios';
export { turnCounter } from './turnCounter';
export { powerUserScenario } from './powerUserScenario';
export type { PowerUserScenario } from './powerUserScenario';
