module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  tsRules: {
    // Type-only imports vanish from the emitted code, so they can never form a runtime import loop.
    '@typescript-eslint/consistent-type-imports': 'error',
  },
});
