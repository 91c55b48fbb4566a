/** Staffgate as a real child process, for fault and shutdown tests. */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { TEST_OIDC_SIGNING_KEYS, TEST_OUTBOX_KEYS } from "./dialects.js";

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** Everything the process printed so far. */
  output(): string;
  readonly exited: Promise<number | null>;
}

/**
 * Starts `src/main.ts` and waits until /readyz answers. `database` is a SQLite file path or a
 * `postgres://` URL; `publicUrl` is the origin clients use (default: where it listens).
 */
export async function startServerProcess(
  port: number,
  database: string,
  env: Record<string, string> = {},
  publicUrl = `http://127.0.0.1:${port}`,
): Promise<ServerProcess> {
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    env: {
      ...process.env,
      DATABASE_URL: database.startsWith("postgres") ? database : `sqlite:${database}`,
      ...(database.startsWith("postgres")
        ? { OUTBOX_KEYS: TEST_OUTBOX_KEYS, OIDC_SIGNING_KEYS: TEST_OIDC_SIGNING_KEYS }
        : {}),
      PORT: String(port),
      PUBLIC_URL: publicUrl,
      LOG_LEVEL: "warn",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  child.stdout?.on("data", (chunk) => (text += String(chunk)));
  child.stderr?.on("data", (chunk) => (text += String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (Date.now() > deadline) throw new Error(`server did not start: ${text}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { child, url, output: () => text, exited };
}

export async function killHard(server: ServerProcess): Promise<void> {
  server.child.kill("SIGKILL");
  await server.exited;
}
