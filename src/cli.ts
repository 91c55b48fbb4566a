/**
 * `staffgate <command>` (API.md "CLI"). Prints JSON on stdout; a bad input exits non-zero with
 * a message on stderr. Secrets come from stdin, never from arguments (which `ps` shows).
 */
import { setTimeout } from "node:timers/promises";
import { parseArgs } from "node:util";
import { ConfigError, loadConfig } from "./config/config.js";
import { createRuntime, type Runtime } from "./composition.js";
import { openDatabase, type DatabaseHandle } from "./db/database.js";
import { migrateToLatest, type MigrationReport } from "./db/migrate.js";
import { createAccount, getAccountBySlug } from "./modules/accounts/index.js";
import { createOidcClient, deleteOidcClient, listOidcClients } from "./modules/identity-provider/index.js";
import { grantCredits } from "./modules/sms-credits/index.js";
import { rebuildSearchIndex } from "./modules/staff/index.js";
import {
  createSupportAgent,
  resetAgentTwoFactor,
  setAgentSupervisor,
  unlockSupportAgent,
} from "./modules/support/index.js";
import type { LoginThrottle } from "./modules/throttling/index.js";
import { DomainError } from "./shared/errors.js";
import { systemClock } from "./shared/clock.js";
import { cryptoRandom } from "./shared/random.js";

class UsageError extends Error {}

/** How long (in 100 ms steps) a command waits for Redis to connect. */
const THROTTLE_READY_ATTEMPTS = 30;

const USAGE = `Usage: staffgate <command> [options]

Commands:
  migrate
      Apply database migrations.
  support-agent:create --email E --name N --password-stdin [--supervisor]
      Create a vendor support agent (password of at least 12 characters, read from stdin).
      --supervisor: the agent may decide recovery cases sent to a supervisor.
  support-agent:set-supervisor --email E [--remove]
      Make an existing agent a supervisor, or (--remove) no longer one.
  support-agent:unlock --email E
      Lift an agent's lock after too many failed sign-ins (the password is not changed).
  support-agent:reset-two-factor --email E
      Lost phone: remove an agent's authenticator app; they set up a new one at their next sign-in.
  sms-credits:grant --account S --amount N --reason R
      Add SMS credits to a business (recorded in its credit ledger and audit log).
  oidc-client:create --name N --redirect-uri U [--redirect-uri U2 …] [--post-logout-redirect-uri U …]
                     [--backchannel-logout-uri U] [--public] [--development]
      Plug an app into Staffgate's OpenID Provider (docs/identity-provider.md). Prints the client
      id and, for a confidential app, its secret: shown this once, only a hash is kept. --public:
      a single-page or native app, with no secret (PKCE alone). Addresses must be https;
      --development: an app in development, whose addresses may be http on localhost.
  oidc-client:list
      The apps plugged in (never their secrets).
  oidc-client:delete --client-id X
      Remove an app; its tokens stop working at once.
  search:reindex [--account S]
      Rebuild the STAFF search index of one business, or of all of them (needed once after a
      rolling upgrade to a version with migration 0006, if older nodes wrote staff meanwhile).
  account:create --slug S --name N --owner-first-name F --owner-last-name L --owner-email E
                 [--owner-password-stdin] [--billing-postal-code P] [--card-last4 D] [--business-phone T]
                 [--country C]
      Create a business and its owner (username "admin"). Without --owner-password-stdin a
      one-time password is printed; it must be changed at first sign-in. --country is the
      business's ISO 3166-1 alpha-2 code (default US): phone numbers typed without a "+" are
      read as its numbers, and texts may go to its numbers only until Settings allow more.
`;

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new UsageError("expected the password on standard input (pipe it in)");
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  // One trailing newline is how `echo` and here-strings end input; it is not part of the password.
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

function required(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value !== "string" || value.trim() === "") throw new UsageError(`--${name} is required`);
  return value;
}

function optional(values: Record<string, unknown>, name: string): string | undefined {
  const value = values[name];
  return typeof value === "string" ? value : undefined;
}

async function withRuntime<T>(task: (runtime: Runtime) => Promise<T>): Promise<T> {
  const runtime = await createRuntime(loadConfig());
  try {
    return await task(runtime);
  } finally {
    await runtime.close();
  }
}

/** The database alone, migrated: for commands that send nothing (no outbox keys needed). */
async function withDatabase<T>(task: (db: DatabaseHandle["db"], migrated: MigrationReport) => Promise<T>): Promise<T> {
  const database = openDatabase(loadConfig().database);
  try {
    return await task(database.db, await migrateToLatest(database.db));
  } finally {
    await database.close();
  }
}

async function migrate(): Promise<unknown> {
  return withDatabase(async (_db, migrated) => migrated);
}

async function accountCreate(args: string[]): Promise<unknown> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      slug: { type: "string" },
      name: { type: "string" },
      "owner-first-name": { type: "string" },
      "owner-last-name": { type: "string" },
      "owner-email": { type: "string" },
      "owner-password-stdin": { type: "boolean" },
      "billing-postal-code": { type: "string" },
      "card-last4": { type: "string" },
      "business-phone": { type: "string" },
      country: { type: "string" },
    },
  });
  const input = {
    slug: required(values, "slug"),
    name: required(values, "name"),
    ownerFirstName: required(values, "owner-first-name"),
    ownerLastName: required(values, "owner-last-name"),
    ownerEmail: required(values, "owner-email"),
    ...(values["owner-password-stdin"] ? { ownerPassword: await readStdin() } : {}),
    billingPostalCode: optional(values, "billing-postal-code"),
    cardLast4: optional(values, "card-last4"),
    businessPhone: optional(values, "business-phone"),
    country: (optional(values, "country") ?? "US").trim().toUpperCase(),
  };
  return withRuntime(async ({ deps }) => {
    const result = await createAccount(deps, input);
    return {
      account: { slug: result.account.slug, name: result.account.name },
      owner: { id: result.owner.id, username: result.owner.username, email: result.owner.email },
      loginUrl: new URL(`/a/${result.account.slug}/login`, deps.config.publicUrl).toString(),
      ...(result.oneTimePassword ? { oneTimePassword: result.oneTimePassword, mustChangeAtFirstLogin: true } : {}),
    };
  });
}

async function smsCreditsGrant(args: string[]): Promise<unknown> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: { account: { type: "string" }, amount: { type: "string" }, reason: { type: "string" } },
  });
  const slug = required(values, "account");
  const amountText = required(values, "amount");
  const reason = required(values, "reason");
  if (!/^\d+$/.test(amountText)) throw new UsageError("--amount must be a whole number of credits");
  return withRuntime(async ({ deps }) => {
    const account = await getAccountBySlug(deps.db, slug);
    const result = await grantCredits(deps.db, deps, {
      accountId: account.id,
      amount: Number(amountText),
      reason,
      source: "system",
      actor: { type: "system", id: null, name: "Staffgate CLI" },
    });
    return { account: slug, smsCredits: result.smsCredits };
  });
}

async function supportAgentCreate(args: string[]): Promise<unknown> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      email: { type: "string" },
      name: { type: "string" },
      "password-stdin": { type: "boolean" },
      supervisor: { type: "boolean" },
    },
  });
  const email = required(values, "email");
  const name = required(values, "name");
  if (!values["password-stdin"]) throw new UsageError("--password-stdin is required: pipe the agent's password in");
  const password = await readStdin();
  const supervisor = values.supervisor === true;
  return withRuntime(async ({ deps }) => ({
    agent: await createSupportAgent(deps, { email, name, password, supervisor }),
    ...(supervisor ? { supervisor: true } : {}),
  }));
}

async function supportAgentSetSupervisor(args: string[]): Promise<unknown> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: { email: { type: "string" }, remove: { type: "boolean" } },
  });
  const email = required(values, "email");
  return withRuntime(async ({ deps }) => ({ agent: await setAgentSupervisor(deps, email, values.remove !== true) }));
}

async function supportAgentUnlock(args: string[]): Promise<unknown> {
  const { values } = parseArgs({ args, strict: true, options: { email: { type: "string" } } });
  const email = required(values, "email");
  return withRuntime(async ({ deps }) => {
    // Under REDIS_URL the runtime's login throttle is the one the servers share, so the agent's
    // delays are lifted too; Redis connects in the background, so wait for it first.
    await throttleReady(deps.loginThrottle);
    return { unlocked: true, agent: await unlockSupportAgent(deps, email) };
  });
}

async function supportAgentResetTwoFactor(args: string[]): Promise<unknown> {
  const { values } = parseArgs({ args, strict: true, options: { email: { type: "string" } } });
  const email = required(values, "email");
  return withRuntime(async ({ deps }) => ({ twoFactorReset: true, agent: await resetAgentTwoFactor(deps, email) }));
}

async function throttleReady(throttle: LoginThrottle): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await throttle.secondsToWait({ subject: "cli:ready", ip: "cli" });
      return;
    } catch (error) {
      if (attempt >= THROTTLE_READY_ATTEMPTS) throw error;
      await setTimeout(100);
    }
  }
}

async function searchReindex(args: string[]): Promise<unknown> {
  const { values } = parseArgs({ args, strict: true, options: { account: { type: "string" } } });
  const slug = optional(values, "account");
  return withDatabase(async (db) => {
    const accounts = slug
      ? [await getAccountBySlug(db, slug)]
      : await db.selectFrom("accounts").select(["id", "slug"]).orderBy("slug").execute();
    let staff = 0;
    for (const [i, account] of accounts.entries()) {
      const indexed = await rebuildSearchIndex(db, account.id);
      staff += indexed;
      // Progress on stderr; stdout carries the JSON result alone.
      process.stderr.write(`[${i + 1}/${accounts.length}] ${account.slug}: ${indexed} staff indexed\n`);
    }
    return { accounts: accounts.length, staff };
  });
}

async function oidcClientCreate(args: string[]): Promise<unknown> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      name: { type: "string" },
      "redirect-uri": { type: "string", multiple: true },
      "post-logout-redirect-uri": { type: "string", multiple: true },
      "backchannel-logout-uri": { type: "string" },
      public: { type: "boolean" },
      development: { type: "boolean" },
    },
  });
  const name = required(values, "name");
  const redirectUris = values["redirect-uri"] ?? [];
  if (redirectUris.length === 0) throw new UsageError("--redirect-uri is required (repeat it for more than one)");
  const backchannelLogoutUri = optional(values, "backchannel-logout-uri");
  // Creating an app sends nothing: the database alone will do (no outbox or signing keys needed).
  return withDatabase((db) =>
    createOidcClient(
      db,
      { clock: systemClock, random: cryptoRandom },
      {
        name,
        redirectUris,
        postLogoutRedirectUris: values["post-logout-redirect-uri"] ?? [],
        ...(backchannelLogoutUri ? { backchannelLogoutUri } : {}),
        public: values.public === true,
        development: values.development === true,
      },
    ),
  );
}

async function oidcClientList(args: string[]): Promise<unknown> {
  parseArgs({ args, strict: true, options: {} });
  return withDatabase(async (db) => ({ items: await listOidcClients(db) }));
}

async function oidcClientDelete(args: string[]): Promise<unknown> {
  const { values } = parseArgs({ args, strict: true, options: { "client-id": { type: "string" } } });
  const clientId = required(values, "client-id");
  return withDatabase(async (db) => {
    await deleteOidcClient(db, { clock: systemClock, random: cryptoRandom }, clientId);
    return { deleted: clientId };
  });
}

const commands: Record<string, (args: string[]) => Promise<unknown>> = {
  migrate,
  "account:create": accountCreate,
  "sms-credits:grant": smsCreditsGrant,
  "support-agent:create": supportAgentCreate,
  "support-agent:set-supervisor": supportAgentSetSupervisor,
  "support-agent:unlock": supportAgentUnlock,
  "support-agent:reset-two-factor": supportAgentResetTwoFactor,
  "search:reindex": searchReindex,
  "oidc-client:create": oidcClientCreate,
  "oidc-client:list": oidcClientList,
  "oidc-client:delete": oidcClientDelete,
};

function describe(error: unknown): string {
  if (error instanceof DomainError) {
    const fields = (error.details?.["fields"] ?? {}) as Record<string, string>;
    const reasons = (error.details?.["reasons"] ?? []) as string[];
    const extra = [
      ...Object.entries(fields).map(([field, problem]) => `${field}: ${problem}`),
      ...reasons.map((reason) => `reason: ${reason}`),
    ];
    return [error.message, ...extra].join("\n  ");
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

export async function runCli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === "--help" || command === "help") {
    process.stdout.write(USAGE);
    return command ? 0 : 2;
  }
  const run = commands[command];
  if (!run) {
    process.stderr.write(`staffgate: unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  try {
    const output = await run(rest);
    process.stdout.write(JSON.stringify(output, null, 2) + "\n");
    return 0;
  } catch (error) {
    const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    process.stderr.write(`staffgate ${command}: ${describe(error)}\n`);
    return usage || error instanceof ConfigError || error instanceof DomainError ? 2 : 1;
  }
}
