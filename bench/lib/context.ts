import type { MachineInfo } from "./machine.js";
import type { SectionResult } from "./report.js";
import type { BenchSettings } from "./settings.js";
import type { StaffgateUnderTest } from "./staffgate.js";

/** What every section gets: settings, the machine, the running Staffgate, and a progress line. */
export interface BenchContext {
  readonly settings: BenchSettings;
  readonly machine: MachineInfo;
  /** Staffgate over SQLite, started before the first section. */
  readonly staffgate: StaffgateUnderTest;
  /**
   * Staffgate over a fresh schema of BENCH_POSTGRES_URL's database, started on first use and
   * closed (its schema dropped) after the last section; fails when there is no such database.
   */
  postgresStaffgate(): Promise<StaffgateUnderTest>;
  log(line: string): void;
}

/** One benchmark section; run.ts runs them in order and sums them up. */
export interface BenchSection {
  readonly id: string;
  readonly title: string;
  run(context: BenchContext): Promise<SectionResult>;
}
