import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // A Docker Engine for the Docker provider's tests: found, or started and stopped again (test/support/docker-setup.ts);
    // a Pebble ACME server for the certificate resolvers' tests, started and stopped again (test/support/pebble-setup.ts).
    globalSetup: ['test/support/docker-setup.ts', 'test/support/pebble-setup.ts'],
    projects: [
      { extends: true, test: { name: 'all', include: ['test/**/*.test.ts'] } },
      {
        // The engine's integration tests again, each Junction with two workers (test/support/junction.ts reads it).
        extends: true,
        test: {
          name: 'workers-2',
          include: ['test/integration/**/*.test.ts', 'test/traefik/**/*.test.ts'],
          // Sets its worker counts itself.
          exclude: ['test/integration/workers.test.ts'],
          env: { JUNCTION_TEST_WORKERS: '2' },
        },
      },
    ],
  },
})
