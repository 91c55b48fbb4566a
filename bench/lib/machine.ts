/** What the numbers were measured on: they mean little without it. */
import os from "node:os";

export interface MachineInfo {
  readonly cores: number;
  readonly cpuModel: string;
  readonly nodeVersion: string;
  readonly platform: string;
  readonly totalMemoryGiB: number;
  /**
   * libuv's thread pool runs the Argon2 work of @node-rs/argon2; it has 4 threads unless
   * UV_THREADPOOL_SIZE says otherwise, so on more than 4 cores it, not the CPU, is the limit.
   */
  readonly uvThreadpoolSize: number;
}

const DEFAULT_UV_THREADPOOL_SIZE = 4;

export function machineInfo(): MachineInfo {
  const fromEnv = Number(process.env["UV_THREADPOOL_SIZE"]);
  return {
    cores: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model.trim() ?? "unknown",
    nodeVersion: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    totalMemoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    uvThreadpoolSize: Number.isInteger(fromEnv) && fromEnv > 0 ? Math.min(fromEnv, 1024) : DEFAULT_UV_THREADPOOL_SIZE,
  };
}

export function describeMachine(machine: MachineInfo): string[] {
  const lines = [
    `Cores:       ${machine.cores} (os.availableParallelism())`,
    `CPU:         ${machine.cpuModel}`,
    `Node:        ${machine.nodeVersion}`,
    `Platform:    ${machine.platform}, ${machine.totalMemoryGiB} GiB RAM`,
    `libuv pool:  ${machine.uvThreadpoolSize} threads (UV_THREADPOOL_SIZE)`,
  ];
  if (machine.uvThreadpoolSize < machine.cores) {
    lines.push(
      `WARNING: the libuv pool (${machine.uvThreadpoolSize}) is smaller than the core count (${machine.cores}):` +
        " Argon2 cannot use every core, in the raw baseline or in the server.",
    );
  }
  return lines;
}
