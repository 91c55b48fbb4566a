/**
 * Runs split into rounds, and rounds summed up. On a shared or throttled machine the speed
 * drifts during a run; alternating a measurement with its baseline in short rounds (A B, B A,
 * A B, …) exposes both to the same drift, so their ratio stays meaningful even when the
 * absolute numbers wander. The spread of the per-round ratios shows how much they wandered.
 */
import type { Usage } from "./usage.js";

/** One measured stretch: `count` operations in `seconds`, at the cost `usage`. */
export interface Sample {
  readonly count: number;
  readonly seconds: number;
  readonly usage: Usage;
}

export interface Aggregate {
  readonly rounds: number;
  readonly count: number;
  readonly seconds: number;
  /** Σ count / Σ seconds. */
  readonly perSecond: number;
  readonly perSecondByRound: readonly number[];
  /** Process CPU per operation (all threads), ms. */
  readonly cpuMsPerOp: number;
  /** The main thread's own CPU per operation, ms (Linux only). */
  readonly mainThreadCpuMsPerOp: number | undefined;
  /** The load generator's CPU per operation, ms, when it ran as a child process (wrk); else undefined. */
  readonly loadGeneratorCpuMsPerOp: number | undefined;
  /** The PostgreSQL backends' CPU per operation, ms, when they were tracked; else undefined. */
  readonly databaseCpuMsPerOp: number | undefined;
  /** Event-loop busy time per operation, ms (utilisation × time ÷ operations; includes waiting for a core). */
  readonly eventLoopMsPerOp: number;
  readonly eventLoopUtilization: number;
  /** Mean cores used by other processes meanwhile (Linux only). */
  readonly otherProcessesCores: number | undefined;
}

export function aggregate(samples: readonly Sample[]): Aggregate {
  const sum = (pick: (sample: Sample) => number) => samples.reduce((total, sample) => total + pick(sample), 0);
  const count = sum((s) => s.count);
  const seconds = sum((s) => s.seconds);
  const wall = sum((s) => s.usage.wallSeconds);
  const busy = sum((s) => s.usage.eventLoopUtilization * s.usage.wallSeconds);
  const known = (pick: (usage: Usage) => number | undefined) => samples.every((s) => pick(s.usage) !== undefined);
  const otherProcessesCores = known((u) => u.otherProcessesCores)
    ? samples.reduce((total, s) => total + (s.usage.otherProcessesCores ?? 0) * s.usage.wallSeconds, 0) / wall
    : undefined;
  /** Per operation, ms; undefined unless every sample has it and some is non-zero. */
  const perOp = (pick: (usage: Usage) => number | undefined) => {
    if (count === 0 || !known(pick)) return undefined;
    const total = sum((s) => pick(s.usage) ?? 0);
    return total > 0 ? (total / count) * 1000 : undefined;
  };
  return {
    rounds: samples.length,
    count,
    seconds,
    perSecond: seconds > 0 ? count / seconds : 0,
    perSecondByRound: samples.map((s) => (s.seconds > 0 ? s.count / s.seconds : 0)),
    cpuMsPerOp: count > 0 ? (sum((s) => s.usage.cpuSeconds) / count) * 1000 : 0,
    mainThreadCpuMsPerOp:
      count > 0 && known((u) => u.mainThreadCpuSeconds)
        ? (sum((s) => s.usage.mainThreadCpuSeconds ?? 0) / count) * 1000
        : undefined,
    loadGeneratorCpuMsPerOp: perOp((u) => u.loadGeneratorCpuSeconds),
    databaseCpuMsPerOp: perOp((u) => u.databaseCpuSeconds),
    eventLoopMsPerOp: count > 0 ? (busy / count) * 1000 : 0,
    eventLoopUtilization: wall > 0 ? busy / wall : 0,
    otherProcessesCores,
  };
}

/**
 * `rounds` rounds of `subject` and `baseline`, alternating which goes first so that a drift
 * in speed weighs on both alike.
 */
export async function alternate<S, B>(
  rounds: number,
  subject: (round: number) => Promise<S>,
  baseline: (round: number) => Promise<B>,
): Promise<{ subject: S[]; baseline: B[] }> {
  const subjects: S[] = [];
  const baselines: B[] = [];
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      baselines.push(await baseline(round));
      subjects.push(await subject(round));
    } else {
      subjects.push(await subject(round));
      baselines.push(await baseline(round));
    }
  }
  return { subject: subjects, baseline: baselines };
}

/** Smallest and largest of the per-round ratios subject / baseline. */
export function ratioSpread(subject: Aggregate, baseline: Aggregate): { min: number; max: number } {
  const ratios = subject.perSecondByRound.map((value, round) => {
    const base = baseline.perSecondByRound[round] ?? 0;
    return base > 0 ? value / base : 0;
  });
  return { min: Math.min(...ratios), max: Math.max(...ratios) };
}
