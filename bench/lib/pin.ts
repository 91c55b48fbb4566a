/**
 * CPU pinning for the read sections: the server's event loop is one thread, so with the server
 * (this whole process, every thread) on CPU 0 and wrk on CPU 1 each has a core of its own and
 * neither takes turns with the other. Sign-in is not pinned: Argon2 runs on libuv's pool and
 * needs every core. On one core, or without taskset, nothing is pinned.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import os from "node:os";

const TASKSET = "/usr/bin/taskset";

export interface Pinning {
  /** CPUs for wrk (taskset -c), or undefined when nothing is pinned. */
  readonly loadCpus: string | undefined;
  /** In words, for the notes. */
  readonly description: string;
  /** Gives this process every CPU again. */
  restore(): void;
}

function setAffinity(cpus: string): void {
  // -a: every thread of the process (the event loop, libuv's pool, V8's helpers).
  execFileSync(TASKSET, ["-a", "-p", "-c", cpus, String(process.pid)], { stdio: "ignore" });
}

export function pinServerApartFromLoad(): Pinning {
  const cores = os.availableParallelism();
  if (cores < 2 || !existsSync(TASKSET)) {
    return { loadCpus: undefined, description: "not pinned (one core, or no taskset)", restore: () => {} };
  }
  const all = `0-${cores - 1}`;
  const server = "0";
  const load = cores === 2 ? "1" : `1-${cores - 1}`;
  setAffinity(server);
  return {
    loadCpus: load,
    description: `server process pinned to CPU ${server}, wrk to CPU ${load} (taskset)`,
    restore: () => setAffinity(all),
  };
}
