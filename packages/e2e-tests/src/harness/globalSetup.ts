import { startStack } from './stack';

export default async function globalSetup() {
  // E2E_REUSE_STACK=1 runs against a stack you started yourself with ./run start (quicker while iterating).
  if (process.env.E2E_REUSE_STACK) return;
  await startStack();
}
