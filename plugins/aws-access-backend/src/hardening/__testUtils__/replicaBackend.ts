/*
 * A real backend replica for replicas.test.ts, run in a child process (so the test can SIGKILL it):
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs replicaBackend.ts --config <file>
 *
 * createBackend() with the aws-access plugin and nothing mocked: the real scheduler (its global lock lives in
 * the shared PostgreSQL database), database, auth and HTTP router. Everything else comes from the config file.
 */
import { createBackend } from '@backstage/backend-defaults';
import { awsAccessPlugin } from '../../plugin';

const backend = createBackend();
backend.add(awsAccessPlugin);
backend.start().then(
  () => process.stdout.write('replica started\n'),
  error => {
    process.stderr.write(`replica failed to start: ${error}\n`);
    process.exit(1);
  },
);
