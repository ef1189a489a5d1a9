import { defineConfig } from "@playwright/test";

/**
 * End-to-end tests in Debian's Chromium (Playwright cannot download its own browser here)
 * against the production build on its own port and its own throw-away database.
 */
const port = Number(process.env.E2E_PORT ?? 3100);
/** The server's Kubernetes API (HTTPS), away from a developer's own 6443. */
export const kubeApiPort = Number(process.env.E2E_KUBE_PORT ?? port + 3400);
const baseURL = `http://localhost:${port}`;
const dataDir = process.env.E2E_DATA_DIR ?? ".test-results/e2e-data";

export default defineConfig({
  testDir: "./playwright",
  outputDir: process.env.E2E_OUTPUT_DIR ?? ".test-results/playwright",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    baseURL,
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [
    { name: "seed", testMatch: /seed\.setup\.ts/ },
    { name: "chromium", testMatch: /\.spec\.ts/, dependencies: ["seed"] },
  ],
  webServer: {
    // A fresh data folder every run: PGlite allows one process per folder.
    command: `rm -rf "${dataDir}" && node scripts/start.mjs`,
    url: `${baseURL}/api/health`,
    // A cold production build takes 2–5 minutes on a loaded 2-core machine.
    timeout: 600_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      PORT: String(port),
      DATA_DIR: dataDir,
      BETTER_AUTH_URL: baseURL,
      DATABASE_URL: process.env.E2E_DATABASE_URL ?? "",
      OPERATOR_EMAIL: "",
      NEXT_TELEMETRY_DISABLED: "1",
      // Every browser test signs up from 127.0.0.1: lift the per-address sign-up limit (10 an hour).
      SIGN_UPS_PER_ADDRESS_PER_HOUR: "100000",
      // Modelled time runs 10x faster in browser tests: a VM boots in ~2 s, an image pulls in 0.4 s.
      ENGINE_TIME_SCALE: "10",
      KUBE_API_PORT: String(kubeApiPort),
    },
  },
});
