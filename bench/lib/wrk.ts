/**
 * HTTP load from `wrk` (Debian's package, /usr/bin/wrk), in a process of its own, so that the
 * load generator's CPU is neither the server's nor hidden: this process reads it back as its
 * child's CPU time (usage.ts, `loadGeneratorCpuSeconds`), and it is not counted as "other load".
 * wrk is written in C around epoll and costs a few tens of microseconds per request, where a
 * Node.js client in the server's process cost several times that, on the same cores.
 *
 * With `bodies`, wrk runs one thread per connection and thread i sends bodies[i mod n] (its Lua
 * `request()` knows its thread, not its connection): sign-ins as different people, since
 * Staffgate evaluates one sign-in at a time per person. Replies are then counted per HTTP status
 * (a Lua `response()`); without bodies the request is static, the cheapest wrk can send, and a
 * reply is either 2xx/3xx or counted as a non-2xx status error.
 *
 * `cpus` pins wrk to those CPUs (taskset), for sections that pin the server apart (pin.ts).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LoadResult } from "./load.js";
import { startUsage } from "./usage.js";

export const WRK_PATH = "/usr/bin/wrk";

export interface WrkOptions {
  readonly title: string;
  readonly url: string;
  readonly method?: "GET" | "POST";
  readonly headers?: Record<string, string>;
  /** Connection (= wrk thread) i sends bodies[i mod n]; left out: a static request without a body. */
  readonly bodies?: readonly string[];
  readonly connections: number;
  /** Whole seconds (wrk takes no fractions); at least 1. */
  readonly seconds: number;
  /** Unmeasured load first; 0 for none. */
  readonly warmupSeconds?: number;
  /** Awaited after the warm-up, before the measured run (e.g. until the server has finished the warm-up's requests). */
  readonly afterWarmup?: () => Promise<void>;
  /** Called just before the measured run starts (after the warm-up). */
  readonly beforeMeasuring?: () => void;
  /** CPUs to run wrk on (taskset -c), e.g. "1". */
  readonly cpus?: string;
  /** Threads when there are no bodies (default: 1, or 2 above 16 connections). */
  readonly threads?: number;
}

interface WrkReport {
  readonly requests: number;
  readonly durationUs: number;
  readonly errors: { connect: number; read: number; write: number; status: number; timeout: number };
  readonly latencyUs: { mean: number; p50: number; p90: number; p99: number; max: number };
  /** Per HTTP status, when `bodies` were given (a Lua `response()` counts them). */
  readonly statuses: Record<string, number> | null;
}

/** A Lua string literal for any text: bytes outside printable ASCII as decimal escapes. */
function luaString(text: string): string {
  let out = '"';
  for (const byte of Buffer.from(text, "utf8")) {
    if (byte === 0x22 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    else out += `\\${byte}`;
  }
  return `${out}"`;
}

function luaTable(entries: Record<string, string>): string {
  return `{ ${Object.entries(entries)
    .map(([key, value]) => `[${luaString(key)}] = ${luaString(value)}`)
    .join(", ")} }`;
}

/** The script: per-thread bodies and status counts when asked, and a JSON line at the end. */
function script(options: WrkOptions, path: string): string {
  const bodies = options.bodies ?? [];
  const perThread =
    bodies.length === 0
      ? ""
      : `
local bodies = { ${bodies.map(luaString).join(", ")} }
local method = ${luaString(options.method ?? "GET")}
local path = ${luaString(path)}
local headers = ${luaTable(options.headers ?? {})}
function init(args)
  req = wrk.format(method, path, headers, bodies[((id - 1) % #bodies) + 1])
  statuses = {}
end
function request()
  return req
end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
`;
  const staticRequest =
    bodies.length === 0
      ? `
wrk.method = ${luaString(options.method ?? "GET")}
wrk.headers = ${luaTable(options.headers ?? {})}
`
      : "";
  return `${staticRequest}
local threads = {}
local count = 0
function setup(thread)
  count = count + 1
  thread:set("id", count)
  table.insert(threads, thread)
end
${perThread}
function done(summary, latency, requests)
  local parts = {}
  local totals = {}
  local any = false
  for _, thread in ipairs(threads) do
    local s = thread:get("statuses")
    if s then
      for status, n in pairs(s) do
        totals[status] = (totals[status] or 0) + n
        any = true
      end
    end
  end
  for status, n in pairs(totals) do
    table.insert(parts, string.format('"%d": %d', status, n))
  end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "durationUs": %d, "errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d},' ..
    ' "latencyUs": {"mean": %f, "p50": %d, "p90": %d, "p99": %d, "max": %d}, "statuses": %s}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    any and ("{" .. table.concat(parts, ", ") .. "}") or "null"))
end
`;
}

function runWrkOnce(options: WrkOptions, scriptPath: string, seconds: number): Promise<WrkReport> {
  const connections = options.connections;
  const threads =
    options.bodies && options.bodies.length > 0 ? connections : (options.threads ?? (connections > 16 ? 2 : 1));
  const args = [
    "-t",
    String(threads),
    "-c",
    String(connections),
    "-d",
    `${Math.max(1, Math.round(seconds))}s`,
    "--timeout",
    "10s",
    "-s",
    scriptPath,
    options.url,
  ];
  const [command, commandArgs] = options.cpus
    ? ["/usr/bin/taskset", ["-c", options.cpus, WRK_PATH, ...args]]
    : [WRK_PATH, args];
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    // "close": the process has exited and been reaped, so its CPU time is this process's children's.
    child.once("close", (code) => {
      const line = stdout.split("\n").find((l) => l.startsWith("WRKJSON "));
      if (code !== 0 || !line) {
        reject(new Error(`wrk exited with ${code}: ${stderr.trim() || stdout.trim()}`));
        return;
      }
      resolve(JSON.parse(line.slice("WRKJSON ".length)) as WrkReport);
    });
  });
}

export async function runWrk(options: WrkOptions): Promise<LoadResult> {
  const url = new URL(options.url);
  const dir = mkdtempSync(join(tmpdir(), "staffgate-wrk-"));
  const scriptPath = join(dir, "load.lua");
  writeFileSync(scriptPath, script(options, `${url.pathname}${url.search}`));
  try {
    if (options.warmupSeconds && options.warmupSeconds > 0) {
      await runWrkOnce(options, scriptPath, options.warmupSeconds);
      await options.afterWarmup?.();
    }
    options.beforeMeasuring?.();
    const stopUsage = startUsage();
    const report = await runWrkOnce(options, scriptPath, options.seconds);
    const usage = stopUsage();
    const statusCounts: Record<string, number> = {};
    if (report.statuses) Object.assign(statusCounts, report.statuses);
    else {
      statusCounts["2xx"] = report.requests - report.errors.status;
      if (report.errors.status > 0) statusCounts["non-2xx"] = report.errors.status;
    }
    const ok = Object.entries(statusCounts)
      .filter(([status]) => status.startsWith("2"))
      .reduce((sum, [, n]) => sum + n, 0);
    const errors = report.errors.connect + report.errors.read + report.errors.write + report.errors.timeout;
    const ms = (us: number) => Math.round(us / 100) / 10;
    return {
      title: options.title,
      connections: options.connections,
      count: ok,
      seconds: report.durationUs / 1e6,
      usage,
      ok,
      non2xx: report.requests - ok,
      statusCounts,
      errors,
      timeouts: report.errors.timeout,
      latencyMs: {
        average: report.latencyUs.mean / 1000,
        p50: ms(report.latencyUs.p50),
        p90: ms(report.latencyUs.p90),
        p99: ms(report.latencyUs.p99),
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
