/**
 * The STAFF page's list as an account grows: GET /api/accounts/{slug}/staff?limit=50 in
 * accounts of 100, 10,000 and 100,000 staff (BENCH_STAFF_SIZES), side by side in one fresh
 * database. Keyset paging over the (account_id, sort_key, id) index should make a page cost the
 * same at any size, and the trigram index a search. Four requests per size:
 *   - the first page;
 *   - a page from the middle of the list (a cursor naming the row just before the middle);
 *   - a common search (a first name that one staff member in 40 has, spread through the list:
 *     a page of matches is found after reading about 2,000 rows, at any size past that);
 *   - a search that matches one person: it walks the postings of the term's rarest trigram
 *     (staff_search_grams) instead of the whole account, so it should be flat too (it grew
 *     linearly, 223× from 100 to 100,000 staff, before the index).
 * Runs take turns across sizes in rounds (smallest first, then largest first), so that a
 * machine that drifts weighs on every size alike. Flatness is judged on mean latency, which
 * autocannon keeps finer than its whole-millisecond percentiles.
 */
import type { Kysely } from "kysely";
import type { Database } from "../../src/db/database.js";
import { createAccount } from "../../src/modules/accounts/index.js";
import type { BenchSection } from "../lib/context.js";
import { combinedLatency, loadProblems, runLoad, type LoadResult } from "../lib/load.js";
import { figure, formatMs, formatRate, otherLoadProblems, type Figure, type Measurement } from "../lib/report.js";
import { aggregate } from "../lib/samples.js";
import { COMMON_SEARCH, seedStaff, seedUniqueStaff } from "../lib/seed.js";
import { startStaffgate, type StaffgateUnderTest } from "../lib/staffgate.js";

const PAGE_SIZE = 50;
/** Mean latency at the largest size over that at the smallest; "flat" is at most this. */
const FLAT_GOAL = 1.5;
const SEED_GOAL_SECONDS = 60;
/** Rounds that the sizes take turns in. */
const ROUNDS = 2;

interface Query {
  readonly id: "first" | "middle" | "common-search" | "one-match-search";
  readonly label: string;
}

const QUERIES: readonly Query[] = [
  { id: "first", label: "first page" },
  { id: "middle", label: "middle page (cursor)" },
  { id: "common-search", label: `search "${COMMON_SEARCH.term}" (1 in 40)` },
  { id: "one-match-search", label: "search, one match" },
];

interface SizedAccount {
  readonly size: number;
  readonly slug: string;
  readonly cookie: string;
  /** Query string per query id. */
  readonly queries: Record<Query["id"], string>;
  /** Items on each query's page, fetched once before measuring. */
  readonly pageItems: Record<Query["id"], number>;
  readonly seedSeconds: number;
}

function sizeLabel(size: number): string {
  return size >= 1000 && size % 1000 === 0 ? `${size / 1000}k` : String(size);
}

/** The cursor format of the list's `nextCursor`, checked against the server before use. */
function cursorAfter(sortKey: string, id: string): string {
  return Buffer.from(JSON.stringify([sortKey, id]), "utf8").toString("base64url");
}

async function middleCursor(
  db: Kysely<Database>,
  accountId: string,
  size: number,
): Promise<{ cursor: string; firstId: string }> {
  const middle = Math.floor(size / 2);
  const rows = await db
    .selectFrom("staff")
    .select(["id", "sort_key"])
    .where("account_id", "=", accountId)
    .where("status", "=", "active")
    .orderBy("sort_key")
    .orderBy("id")
    .limit(2)
    .offset(middle - 1)
    .execute();
  const [before, first] = rows;
  if (!before || !first) throw new Error(`staff list: no middle row in an account of ${size}`);
  return { cursor: cursorAfter(before.sort_key, before.id), firstId: first.id };
}

async function getPage(
  staffgate: StaffgateUnderTest,
  account: { slug: string; cookie: string },
  query: string,
): Promise<{ items: { id: string }[]; nextCursor: string | null }> {
  const response = await fetch(`${staffgate.origin}/api/accounts/${account.slug}/staff?${query}`, {
    headers: { cookie: account.cookie },
  });
  if (!response.ok) throw new Error(`staff list ${query}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as { items: { id: string }[]; nextCursor: string | null };
}

async function prepareAccount(staffgate: StaffgateUnderTest, size: number): Promise<SizedAccount> {
  const { deps } = staffgate.runtime;
  const slug = `staff-${size}`;
  const created = await createAccount(deps, {
    slug,
    name: `Staff List ${size}`,
    ownerFirstName: "Olivia",
    ownerLastName: "Harper",
    ownerEmail: `olivia@${slug}.example`,
    ownerPassword: staffgate.password,
  });
  const accountId = created.account.id;
  const uniqueTerm = await seedUniqueStaff(deps.db, accountId);
  // The owner and the unique person are two of the `size`.
  const seeded = await seedStaff(deps.db, accountId, Math.max(0, size - 2));
  const cookie = await staffgate.signInAs(slug, staffgate.login, staffgate.password, true);
  const { cursor, firstId } = await middleCursor(deps.db, accountId, size);
  const account = { slug, cookie };
  const middlePage = await getPage(staffgate, account, `limit=${PAGE_SIZE}&cursor=${cursor}`);
  if (middlePage.items[0]?.id !== firstId) {
    throw new Error("staff list: the middle cursor did not land in the middle (has the cursor format changed?)");
  }
  const queries: Record<Query["id"], string> = {
    first: `limit=${PAGE_SIZE}`,
    middle: `limit=${PAGE_SIZE}&cursor=${cursor}`,
    "common-search": `limit=${PAGE_SIZE}&search=${COMMON_SEARCH.term}`,
    "one-match-search": `limit=${PAGE_SIZE}&search=${uniqueTerm}`,
  };
  const pageItems: Record<Query["id"], number> = { first: 0, middle: 0, "common-search": 0, "one-match-search": 0 };
  for (const query of QUERIES)
    pageItems[query.id] = (await getPage(staffgate, account, queries[query.id])).items.length;
  if (pageItems["one-match-search"] !== 1) {
    throw new Error(`staff list: "${uniqueTerm}" matched ${pageItems["one-match-search"]} staff, not 1`);
  }
  return { size, slug, cookie, seedSeconds: seeded.seconds, queries, pageItems };
}

/** Mean latency over runs, weighted by their replies. */
function meanLatency(results: readonly LoadResult[]): number {
  const replies = results.reduce((sum, r) => sum + r.ok + r.non2xx, 0);
  return replies > 0 ? results.reduce((sum, r) => sum + r.latencyMs.average * (r.ok + r.non2xx), 0) / replies : 0;
}

export const staffListScale: BenchSection = {
  id: "staff-list-scale",
  title: "Staff list latency at 100, 10,000 and 100,000 staff in one account",
  async run({ settings, log }) {
    const connections = settings.readConnections;
    const sizes = settings.staffSizes;
    // A fifth of BENCH_SECONDS per size and query, split over the rounds.
    const runSeconds = Math.max(0.5, settings.seconds / 5 / ROUNDS);
    const staffgate = await startStaffgate();
    try {
      const accounts: SizedAccount[] = [];
      for (const size of sizes) {
        const account = await prepareAccount(staffgate, size);
        log(`  seeded an account of ${size} staff in ${account.seedSeconds.toFixed(1)} s`);
        accounts.push(account);
      }
      log(
        `${QUERIES.length} requests × ${sizes.length} sizes, ${ROUNDS} rounds of ${runSeconds.toFixed(1)} s each,` +
          ` ${connections} connections, limit=${PAGE_SIZE}.`,
      );

      const load = (account: SizedAccount, query: Query, seconds: number) =>
        runLoad({
          title: `staff list ${sizeLabel(account.size)} ${query.label}`,
          url: `${staffgate.origin}/api/accounts/${account.slug}/staff?${account.queries[query.id]}`,
          headers: { cookie: account.cookie },
          connections,
          seconds,
        });
      if (settings.warmupSeconds > 0) {
        const smallest = accounts[0];
        if (smallest) for (const query of QUERIES) await load(smallest, query, settings.warmupSeconds / QUERIES.length);
      }

      const results = new Map<string, LoadResult[]>();
      const key = (size: number, query: Query) => `${size}:${query.id}`;
      for (let round = 0; round < ROUNDS; round++) {
        const order = round % 2 === 0 ? accounts : [...accounts].reverse();
        for (const account of order) {
          for (const query of QUERIES) {
            const result = await load(account, query, runSeconds);
            results.set(key(account.size, query), [...(results.get(key(account.size, query)) ?? []), result]);
          }
          log(`  round ${round + 1}: ${sizeLabel(account.size)} staff done`);
        }
      }

      const measurements: Measurement[] = [];
      const problems: string[] = [];
      for (const account of accounts) {
        for (const query of QUERIES) {
          const runs = results.get(key(account.size, query)) ?? [];
          const name = `Staff list, ${sizeLabel(account.size)} staff: ${query.label}`;
          measurements.push({
            name: `${name} (${connections} conns)`,
            unit: "req/s",
            result: aggregate(runs),
            latencyMs: combinedLatency(runs),
            non2xx: runs.reduce((total, r) => total + r.non2xx, 0),
            details: { size: account.size, query: query.id, meanLatencyMs: meanLatency(runs), rounds: runs },
          });
          problems.push(...loadProblems(name, runs));
        }
      }
      problems.push(...otherLoadProblems(measurements));

      // Each query's growth: mean latency at the largest size over that at the smallest size
      // whose page was full (a search in 100 staff finds a few matches, which is cheaper).
      const figures: Figure[] = [];
      const largest = accounts.at(-1);
      for (const query of QUERIES) {
        const baseline = accounts.find((account) => account.pageItems[query.id] === PAGE_SIZE) ?? accounts[0];
        if (!largest || !baseline || baseline === largest) continue;
        const mean = (account: SizedAccount) => meanLatency(results.get(key(account.size, query)) ?? []);
        const growth = mean(baseline) > 0 ? mean(largest) / mean(baseline) : 0;
        figures.push(
          figure(
            `Staff list ${query.label}: mean latency ${sizeLabel(largest.size)} ÷ ${sizeLabel(baseline.size)} staff`,
            `${growth.toFixed(2)}× (${accounts.map((account) => formatMs(mean(account))).join(" / ")})`,
            { text: `≤ ${FLAT_GOAL}× (flat)`, met: growth <= FLAT_GOAL },
          ),
        );
      }
      if (largest) {
        figures.push(
          figure(`Seeding ${largest.size.toLocaleString("en-US")} staff`, `${largest.seedSeconds.toFixed(1)} s`, {
            text: `< ${SEED_GOAL_SECONDS} s`,
            met: largest.seedSeconds < SEED_GOAL_SECONDS,
          }),
        );
      }
      const notes = [
        `Staff list: mean latencies in the figures are at ${sizes.map(sizeLabel).join(" / ")} staff.` +
          ` ${connections} connections keep the server busy, so a latency is mostly queueing:` +
          ` about ${connections} × the time one request takes. Rates: ${measurements
            .filter((m) => m.name.includes("first page"))
            .map((m) => formatRate(m.result.perSecond))
            .join(" / ")} req/s for the first page at ${sizes.map(sizeLabel).join(" / ")} staff.`,
      ];
      return { id: this.id, title: this.title, measurements, comparisons: [], figures, problems, notes };
    } finally {
      await staffgate.close();
    }
  },
};
