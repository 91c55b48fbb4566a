/**
 * What a stretch of work cost, beside how much got done:
 *   - the process's CPU time (every thread: the event loop, libuv's pool running Argon2, the
 *     load generator's worker), which divided by the operations gives CPU per operation;
 *   - the main thread's own CPU time (Linux, from /proc): what the server's one JavaScript thread
 *     spent, Argon2 and the load generator excluded;
 *   - the main event loop's utilisation: near 1 means the server's one JavaScript thread was
 *     the bottleneck, well below 1 that it was waiting (on Argon2, on the client, on the OS).
 *     It counts time the thread was runnable but waiting for a core, so under CPU contention it
 *     overstates the thread's work; the CPU time above does not;
 *   - on Linux, the CPU of the load generator when it runs as a child process (wrk), and of a
 *     local PostgreSQL server: both share the cores with the server, so they are counted, apart;
 *   - on Linux, the CPU that *other* processes used meanwhile (from /proc/stat, the above left
 *     out): a benchmark that shares its cores with a test suite or a browser measures mostly noise.
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

export interface Usage {
  readonly wallSeconds: number;
  /** User + system CPU seconds of this whole process. */
  readonly cpuSeconds: number;
  /** CPU seconds of the main (event-loop) thread alone (Linux only; undefined elsewhere). */
  readonly mainThreadCpuSeconds: number | undefined;
  /** Busy fraction of the main thread's event loop, 0..1. */
  readonly eventLoopUtilization: number;
  /**
   * CPU seconds of this process's child processes that ended meanwhile: the load generator when
   * it runs apart (wrk.ts). Linux only; undefined elsewhere.
   */
  readonly loadGeneratorCpuSeconds: number | undefined;
  /**
   * CPU seconds of the PostgreSQL backends serving the server under test (a local server on the
   * same cores; trackDatabaseProcesses). Undefined on SQLite.
   */
  readonly databaseCpuSeconds: number | undefined;
  /**
   * Cores kept busy by other processes on average, the load generator and PostgreSQL left out
   * (Linux only; undefined elsewhere).
   */
  readonly otherProcessesCores: number | undefined;
}

/** USER_HZ: /proc/stat counts in hundredths of a second on every Linux that Node supports. */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU seconds spent in user and system mode by the whole machine so far, or undefined. */
function machineCpuSeconds(): number | undefined {
  try {
    const fields = (readFileSync("/proc/stat", "utf8").split("\n", 1)[0] ?? "").trim().split(/\s+/);
    if (fields[0] !== "cpu") return undefined;
    const [user, nice, system] = fields.slice(1, 4).map(Number);
    if (user === undefined || nice === undefined || system === undefined) return undefined;
    return (user + nice + system) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system) of the main thread so far, or undefined. */
function mainThreadCpuSeconds(): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
    // Fields after "(comm) ": state is 0, so utime (field 14 in proc(5)) is 11 and stime 12.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) / CLOCK_TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system) of this process's reaped children so far (cutime + cstime), or undefined. */
function childrenCpuSeconds(): number | undefined {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    // After "(comm) ": cutime is field 16 in proc(5), index 13 here; cstime 14.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const cutime = Number(fields[13]);
    const cstime = Number(fields[14]);
    return Number.isFinite(cutime) && Number.isFinite(cstime) ? (cutime + cstime) / CLOCK_TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}

/** The PostgreSQL backends serving the server under test (pg_stat_activity), when it runs on PostgreSQL. */
let databasePids: readonly number[] = [];

/**
 * Counts these PostgreSQL backends' CPU as the database's (`databaseCpuSeconds`) from now on, and
 * no longer as other processes'; an empty list stops it. Backends of other clients (another
 * engineer's tests) stay "other".
 */
export function trackDatabaseProcesses(pids: readonly number[]): void {
  databasePids = [...pids];
}

/** CPU seconds of the tracked PostgreSQL backends, or undefined when none are tracked. */
function databaseProcessesCpuSeconds(): number | undefined {
  if (databasePids.length === 0) return undefined;
  let total = 0;
  for (const pid of databasePids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      total += (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
    } catch {
      // The backend ended meanwhile.
    }
  }
  return total;
}

export function startUsage(): () => Usage {
  const wallStart = performance.now();
  const cpuStart = process.cpuUsage();
  const eluStart = performance.eventLoopUtilization();
  const machineStart = machineCpuSeconds();
  const mainStart = mainThreadCpuSeconds();
  const childrenStart = childrenCpuSeconds();
  const databaseStart = databaseProcessesCpuSeconds();
  return () => {
    const mainEnd = mainThreadCpuSeconds();
    const childrenEnd = childrenCpuSeconds();
    const databaseEnd = databaseProcessesCpuSeconds();
    const loadGeneratorCpuSeconds =
      childrenStart === undefined || childrenEnd === undefined ? undefined : childrenEnd - childrenStart;
    // A backend that ended meanwhile takes its CPU time with it: never below zero.
    const databaseCpuSeconds =
      databaseStart === undefined || databaseEnd === undefined ? undefined : Math.max(0, databaseEnd - databaseStart);
    const wallSeconds = (performance.now() - wallStart) / 1000;
    const cpu = process.cpuUsage(cpuStart);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const machineEnd = machineCpuSeconds();
    const otherProcessesCores =
      machineStart === undefined || machineEnd === undefined || wallSeconds <= 0
        ? undefined
        : Math.max(
            0,
            (machineEnd - machineStart - cpuSeconds - (loadGeneratorCpuSeconds ?? 0) - (databaseCpuSeconds ?? 0)) /
              wallSeconds,
          );
    return {
      wallSeconds,
      cpuSeconds,
      mainThreadCpuSeconds: mainStart === undefined || mainEnd === undefined ? undefined : mainEnd - mainStart,
      eventLoopUtilization: performance.eventLoopUtilization(eluStart).utilization,
      loadGeneratorCpuSeconds,
      databaseCpuSeconds,
      otherProcessesCores,
    };
  };
}
