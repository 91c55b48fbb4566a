/**
 * Real reverse proxies in front of a real Staffgate and a tiny protected app, for the forward
 * auth samples in docs/forward-auth/. A proxy binary that is missing skips its test on a laptop;
 * under CI (which installs nginx and caddy) it is an error instead.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { connect } from "node:net";
import { fileURLToPath } from "node:url";
import type { DialectName } from "../support/dialects.js";
import { createTestApp, seedAccount, type TestApp } from "../support/http.js";

export { freePort } from "../support/process.js";

/** The path of a proxy binary, or undefined when it is missing outside CI. */
export function proxyBinary(envName: string, defaultPath: string): string | undefined {
  const path = process.env[envName] ?? defaultPath;
  if (existsSync(path)) return path;
  if (process.env["CI"]) throw new Error(`CI must provide ${path} (or set ${envName}) so that the proxy tests run`);
  return undefined;
}

/** A sample from docs/forward-auth/, as the documentation shows it. */
export function readSample(name: string): string {
  return readFileSync(fileURLToPath(new URL(`../../docs/forward-auth/${name}`, import.meta.url)), "utf8");
}

/** Replaces `from` by `to` in a sample, which must hold it exactly `times` times (the sample can't drift from the test). */
export function substitute(text: string, from: string, to: string, times = 1): string {
  const found = text.split(from).length - 1;
  if (found !== times) throw new Error(`expected ${times} × ${JSON.stringify(from)} in the sample, found ${found}`);
  return text.split(from).join(to);
}

/** What the protected app saw of one request. */
export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** The protected app: answers every request with what it received, and remembers it. */
export async function startEchoApp(port: number): Promise<{ seen: SeenRequest[]; close(): Promise<void> }> {
  const seen: SeenRequest[] = [];
  const server: Server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += String(chunk)));
    request.on("end", () => {
      const entry = { method: request.method ?? "", url: request.url ?? "", headers: request.headers, body };
      seen.push(entry);
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify(entry));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Staffgate listening on `port`, with PUBLIC_URL the proxy's origin, and Acme Swim in it. */
export async function startStaffgateBehind(
  dialect: DialectName,
  port: number,
  publicUrl: string,
): Promise<{ t: TestApp; accountId: string }> {
  const t = await createTestApp(dialect, { env: { PUBLIC_URL: publicUrl } });
  const accountId = (await seedAccount(t)).account.id;
  await t.app.listen({ port, host: "127.0.0.1" });
  return { t, accountId };
}

export interface ProxyProcess {
  readonly child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Starts a proxy and waits until `port` accepts connections (or the proxy exits, which fails). */
export async function startProxy(command: string, args: string[], port: number, cwd: string): Promise<ProxyProcess> {
  const child = spawn(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, HOME: cwd } });
  let text = "";
  child.stdout?.on("data", (chunk) => (text += String(chunk)));
  child.stderr?.on("data", (chunk) => (text += String(chunk)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let running = true;
  void exited.then(() => (running = false));
  const deadline = Date.now() + 15_000;
  while (!(await accepts(port))) {
    if (!running) throw new Error(`${command} exited:\n${text}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`${command} did not listen on ${port}:\n${text}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    child,
    output: () => text,
    stop: async () => {
      if (running) child.kill("SIGTERM");
      await exited;
    },
  };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** A browser-like client of the proxy's origin: keeps the cookies it is given. */
export function proxyClient(origin: string) {
  const jar = new Map<string, string>();
  return {
    jar,
    async request(
      method: string,
      path: string,
      options: { headers?: Record<string, string>; body?: unknown; extraCookies?: string } = {},
    ): Promise<Response> {
      const cookies = [
        ...[...jar].map(([name, value]) => `${name}=${value}`),
        ...(options.extraCookies ? [options.extraCookies] : []),
      ];
      const response = await fetch(`${origin}${path}`, {
        method,
        redirect: "manual",
        headers: {
          ...(method === "GET" || method === "HEAD" ? {} : { origin }),
          ...(cookies.length > 0 ? { cookie: cookies.join("; ") } : {}),
          ...(options.body !== undefined ? { "content-type": "application/json" } : {}),
          ...options.headers,
        },
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      });
      for (const setCookie of response.headers.getSetCookie()) {
        const [pair] = setCookie.split(";");
        const [name, ...value] = (pair ?? "").split("=");
        if (!name) continue;
        if (value.join("=") === "") jar.delete(name.trim());
        else jar.set(name.trim(), value.join("="));
      }
      return response;
    },
  };
}

/** What a client sends hoping the app takes its word for it. */
export const FORGED_HEADERS = {
  "X-Staffgate-Account": "other-gym",
  "X-Staffgate-Staff-Id": "stf_forged",
  "X-Staffgate-Username": "forged",
  "X-Staffgate-Permissions": "admin",
};
