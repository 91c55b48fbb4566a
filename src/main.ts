/** Starts Staffgate: configuration, database and migrations, first run, then the HTTP server. */
import { buildApp } from "./http/app.js";
import { ConfigError, loadConfig } from "./config/config.js";
import { createRuntime } from "./composition.js";
import { createDemoAccountIfEmpty, firstRunBanner } from "./first-run.js";

/** How long running requests get to finish after SIGTERM before their connections are cut. */
const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  const config = loadConfig();
  const runtime = await createRuntime(config);
  const app = await buildApp(runtime.deps, {
    logger: runtime.logger,
    trustProxy: config.trustProxy,
  });

  // The demo business is for trying Staffgate out; a production database starts empty.
  const demo = config.production ? undefined : await createDemoAccountIfEmpty(runtime.deps);
  if (demo) process.stdout.write(firstRunBanner(demo, config.publicUrl) + "\n");

  let stopping = false;
  // While draining, answers close their connection, so keep-alive clients don't hold the
  // process open after their last request has been answered.
  app.addHook("onSend", async (_request, reply, payload) => {
    if (stopping) reply.header("Connection", "close");
    return payload;
  });
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, "shutting down");
    const forceAfter = setTimeout(() => app.server.closeAllConnections(), SHUTDOWN_GRACE_MS);
    forceAfter.unref();
    await app.close(); // stops taking requests and lets the running ones finish
    await runtime.close(); // then the outbox worker finishes its pass, and the database closes
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));

  // One line that names the address to open: the socket's own address (127.0.0.1) is only
  // where the server listens, which, with PUBLIC_URL set, is not where people sign in.
  await app.listen({
    port: config.port,
    host: config.host,
    listenTextResolver: (address) => `listening on ${address}`,
  });
  runtime.outboxWorker.start();
  app.log.info(`Staffgate is ready: open ${config.publicUrl.origin} (database: ${config.database.dialect})`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(
      `Staffgate failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
});
