/*
 * The browser test files in path order, except that files which start a stack of their own (another scenario, on
 * the same fixed ports) run last: they stop the stack globalSetup started, so every file that uses it must have
 * run by then. Plain JavaScript: Jest loads a sequencer without transforming it.
 */
const OWN_STACK = /(identityCenterOnly|scale)\.e2e\.ts$/;

class OwnStackLastSequencer {
  sort(tests) {
    const byPath = [...tests].sort((a, b) => a.path.localeCompare(b.path));
    return [
      ...byPath.filter(test => !OWN_STACK.test(test.path)),
      ...byPath.filter(test => OWN_STACK.test(test.path)),
    ];
  }

  allFailedTests(tests) {
    return tests;
  }

  cacheResults() {
    // Nothing to remember: the order does not depend on earlier runs.
  }
}

module.exports = OwnStackLastSequencer;
