/**
 * Browser tests drive Debian's Chromium through playwright-core (never a downloaded browser).
 * Outside CI, a machine without /usr/bin/chromium skips them; under CI they must run.
 */
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
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
  /**
   * The name in `PUBLIC_URL` (the server listens on 127.0.0.1 either way). Passkeys need
   * `localhost`: WebAuthn refuses an IP address as the relying party.
   */
  readonly hostname?: "127.0.0.1" | "localhost";
  /**
   * Leave `PUBLIC_URL` unset, as `npm start` does: the server then takes every loopback name of
   * its port (`PORT` is set to it), and `url` is the address its log prints.
   */
  readonly withoutPublicUrl?: boolean;
}

/**
 * A real Staffgate listening on loopback, with PUBLIC_URL set to where it listens, and its outbox
 * worker delivering messages in the background as in production (`close` stops it).
 */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const port = await freePort();
  const url = `http://${options.hostname ?? "127.0.0.1"}:${port}`;
  const env = options.withoutPublicUrl ? { ...options.env, PORT: String(port) } : { ...options.env, PUBLIC_URL: url };
  const runtime = await createTestRuntime("sqlite", { env });
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

/** A page and what went wrong in it: console errors and uncaught exceptions, as they happen. */
export interface WatchedPage {
  readonly page: Page;
  readonly problems: string[];
}

/** A Staffgate (see `startServer`) and a Chromium to drive it, for one test file. */
export interface BrowserSuite {
  readonly server: RunningServer;
  /** A fresh browser profile (its own cookies) with a window `width` × `height` px. */
  newPage(width?: number, height?: number): Promise<WatchedPage>;
}

interface StartedSuite extends BrowserSuite {
  /** Closes the pages' profiles, the browser, then the server. */
  close(): Promise<void>;
}

async function startBrowserSuite(options: StartServerOptions): Promise<StartedSuite> {
  const server = await startServer(options);
  let browser: Browser;
  try {
    browser = await launchBrowser();
  } catch (error) {
    await server.close();
    throw error;
  }
  const contexts: BrowserContext[] = [];
  return {
    server,
    async newPage(width = 1280, height = 900) {
      const context = await browser.newContext({ viewport: { width, height } });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      const problems: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error") problems.push(message.text());
      });
      page.on("pageerror", (error) => problems.push(error.message));
      return { page, problems };
    },
    async close() {
      for (const context of contexts) await context.close();
      await browser.close();
      await server.close();
    },
  };
}

/**
 * The browser suite of the enclosing `describe`: started before its tests (then `setUp`, e.g. to
 * create the business) and closed after them. `env` is read when it starts, so it may use what
 * an earlier `beforeAll` started (a fake SMTP server); what that started is stopped after the suite.
 */
export function useBrowserSuite(
  options: {
    env?: () => Record<string, string>;
    hostname?: StartServerOptions["hostname"];
    withoutPublicUrl?: boolean;
    setUp?: (suite: BrowserSuite) => Promise<unknown>;
  } = {},
): BrowserSuite {
  let started: StartedSuite | undefined;
  const current = () => {
    if (!started) throw new Error("The browser suite starts in beforeAll: use it inside tests");
    return started;
  };

  beforeAll(async () => {
    started = await startBrowserSuite({
      ...(options.env ? { env: options.env() } : {}),
      ...(options.hostname ? { hostname: options.hostname } : {}),
      ...(options.withoutPublicUrl ? { withoutPublicUrl: true } : {}),
    });
    await options.setUp?.(started);
  });
  afterAll(async () => {
    await started?.close();
  });

  return {
    get server() {
      return current().server;
    },
    newPage: (width, height) => current().newPage(width, height),
  };
}
