/**
 * Browser tests drive Debian's Chromium through playwright-core (never a downloaded browser).
 * Outside CI, a machine without /usr/bin/chromium skips them; under CI they must run.
 */
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { chromium, type Browser } from "playwright-core";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../../src/http/app.js";
import { createTestRuntime, type TestRuntime } from "../../test/support/dialects.js";

export const CHROMIUM_PATH = process.env["STAFFGATE_CHROMIUM"] ?? "/usr/bin/chromium";
export const browserAvailable = existsSync(CHROMIUM_PATH);
if (process.env["CI"] && !browserAvailable) {
  throw new Error(`CI must provide Chromium at ${CHROMIUM_PATH} so that the browser tests run`);
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  readonly url: string;
  readonly runtime: TestRuntime;
  readonly app: FastifyInstance;
  close(): Promise<void>;
}

export interface StartServerOptions {
  /** Extra configuration (e.g. `SMTP_URL`); `PUBLIC_URL` is always where the server listens. */
  readonly env?: Record<string, string>;
}

/**
 * A real Staffgate listening on loopback, with PUBLIC_URL set to where it listens, and its outbox
 * worker delivering messages in the background as in production (`close` stops it).
 */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const runtime = await createTestRuntime("sqlite", { env: { ...options.env, PUBLIC_URL: url } });
  const app = await buildApp(runtime.deps);
  await app.listen({ port, host: "127.0.0.1" });
  runtime.outboxWorker.start();
  return {
    url,
    runtime,
    app,
    close: async () => {
      await app.close();
      await runtime.close(); // stops the outbox worker first
    },
  };
}
