// End-to-end browser tests: a real actboard server (target/debug/actboard on the demo data)
// and Debian's Chromium driven by playwright-core. Run `cargo build` and `npm run build` first.
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    environment: 'node',
    globalSetup: ['./e2e/server.ts'],
    testTimeout: 60_000,
    hookTimeout: 90_000,
    fileParallelism: false,
    sequence: { concurrent: false },
    reporters: ['verbose'],
  },
})
