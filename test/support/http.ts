/** Helpers for HTTP tests through `app.inject()`. */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from "fastify";
import { buildApp } from "../../src/http/app.js";
import { missingAuditWords } from "../../src/modules/audit/index.js";
import { createAccount, type CreateAccountInput } from "../../src/modules/accounts/index.js";
import { insertStaff } from "../../src/modules/staff/index.js";
import { attemptKey } from "../../src/modules/credentials/index.js";
import { totpCode } from "../../src/modules/two-factor/index.js";
import { createTestRuntime, type DialectName, type TestRuntime, type TestRuntimeOptions } from "./dialects.js";

export const ORIGIN = "http://localhost:3000";

export interface TestApp {
  readonly app: FastifyInstance;
  readonly runtime: TestRuntime;
  request(options: InjectOptions & { cookie?: string }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function createTestApp(dialect: DialectName, options: TestRuntimeOptions = {}): Promise<TestApp> {
  const runtime = await createTestRuntime(dialect, options);
  const app = await buildApp(runtime.deps);
  return {
    app,
    runtime,
    request: ({ cookie, headers, ...rest }) =>
      app.inject({
        ...rest,
        headers: { origin: ORIGIN, ...(cookie ? { cookie } : {}), ...headers },
      }),
    close: async () => {
      const unreadable = await auditEventsWithoutWords(runtime);
      await app.close();
      await runtime.close();
      if (unreadable.length > 0) {
        throw new Error(
          `Audit events without plain words; add them to src/contract/audit-actions.ts: ${unreadable.join("; ")}`,
        );
      }
    },
  };
}

/**
 * Every audit event a test made must read in plain words in the audit log (issue 16): its action,
 * each detail and each code has words in the shared list. Checked as each test app closes, so a
 * new detail without words fails the test that first writes it.
 */
export async function auditEventsWithoutWords(runtime: TestRuntime): Promise<string[]> {
  let events: { action: string; details: string }[];
  try {
    events = await runtime.deps.db.selectFrom("audit_events").select(["action", "details"]).execute();
  } catch (error) {
    // A test that closed the database itself (readiness) has nothing left to check.
    if (error instanceof Error && /destroyed/.test(error.message)) return [];
    throw error;
  }
  const missing = events.flatMap((event) => missingAuditWords(event.action, JSON.parse(event.details)));
  return [...new Set(missing)];
}

export const SAMPLE_ACCOUNT: CreateAccountInput = {
  slug: "acme-swim",
  name: "Acme Swim",
  ownerFirstName: "Olivia",
  ownerLastName: "Harper",
  ownerEmail: "olivia@acme.example",
  ownerPassword: "tidal-lantern-91",
  billingPostalCode: "94110",
  cardLast4: "4242",
  businessPhone: "+1 415 555 0100",
};

export async function seedAccount(testApp: TestApp, input: Partial<CreateAccountInput> = {}) {
  return createAccount(testApp.runtime.deps, { ...SAMPLE_ACCOUNT, ...input });
}

/** The `name=value` pair of the session cookie a response set. */
export function sessionCookie(response: LightMyRequestResponse): string {
  const cookie = response.cookies.find((c) => c.name.endsWith("staffgate_session"));
  if (!cookie) throw new Error(`no session cookie in response ${response.statusCode}: ${response.body}`);
  return `${cookie.name}=${cookie.value}`;
}

export async function signIn(
  testApp: TestApp,
  login: string,
  password: string,
  slug = SAMPLE_ACCOUNT.slug,
  staySignedIn = false,
): Promise<LightMyRequestResponse> {
  return testApp.request({
    method: "POST",
    url: `/api/accounts/${slug}/session`,
    payload: { login, password, staySignedIn },
  });
}

/**
 * Adds a staff member straight through the repository (for tests that need one before the STAFF
 * API exists, or with exact flags).
 */
export async function insertStaffMember(
  testApp: TestApp,
  accountId: string,
  fields: { username: string; password: string; adminFullAccess?: boolean; permissions?: string[]; email?: string },
) {
  const deps = testApp.runtime.deps;
  const now = deps.clock.now();
  const id = `stf_${fields.username}`;
  await insertStaff(deps.db, {
    id,
    accountId,
    username: fields.username,
    firstName: "Sam",
    lastName: "Rivera",
    email: fields.email ?? null,
    mobilePhone: null,
    smsOptIn: false,
    isOwner: false,
    adminFullAccess: fields.adminFullAccess ?? false,
    permissions: fields.permissions ?? [],
    passwordHash: await deps.hasher.hash(fields.password),
    mustChangePassword: false,
    now,
  });
  return id;
}

/** Runs queued background work and delivers the outbox until nothing is left that is due. */
export async function deliverMessages(testApp: TestApp): Promise<void> {
  await testApp.runtime.deps.resetRequests.drain();
  while ((await testApp.runtime.outboxWorker.runOnce()) > 0) {
    // keep going: a pass claims at most one batch
  }
}

/** Consecutive failures counted against a subject (`staff:<id>`, …) by the hard cap. */
export async function failuresOf(testApp: TestApp, subject: string): Promise<number> {
  const row = await testApp.runtime.deps.db
    .selectFrom("login_attempts")
    .select("failures")
    .where("subject", "=", attemptKey(subject))
    .executeTakeFirst();
  return row?.failures ?? 0;
}

export async function setFailures(testApp: TestApp, subject: string, failures: number): Promise<void> {
  const db = testApp.runtime.deps.db;
  await db.deleteFrom("login_attempts").where("subject", "=", attemptKey(subject)).execute();
  await db
    .insertInto("login_attempts")
    .values({
      subject: attemptKey(subject),
      failures,
      max_failures: 100,
      updated_at: testApp.runtime.deps.clock.now(),
    })
    .execute();
}

/** The owner's staff id in the sample account. */
export async function ownerId(testApp: TestApp): Promise<string> {
  const row = await testApp.runtime.deps.db
    .selectFrom("staff")
    .select("id")
    .where("is_owner", "=", 1)
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Authenticator secrets of the support agents a test enrolled, per test app. */
const agentSecrets = new WeakMap<TestApp, Map<string, string>>();

/**
 * Signs a support agent in through both steps, setting up an authenticator app at the first
 * sign-in as the console asks, and returns the first step's reply (its cookie, now active,
 * opens the console). The code is computed from the secret, as the agent's app would.
 */
export async function signInAgentFully(
  testApp: TestApp,
  email: string,
  password: string,
): Promise<LightMyRequestResponse> {
  const reply = await testApp.request({ method: "POST", url: "/api/support/session", payload: { email, password } });
  if (reply.statusCode !== 200) return reply;
  const cookie = reply.cookies.find((c) => c.name.endsWith("staffgate_support"));
  if (!cookie) throw new Error(`no support cookie: ${reply.body}`);
  const header = `${cookie.name}=${cookie.value}`;
  const secrets = agentSecrets.get(testApp) ?? new Map<string, string>();
  agentSecrets.set(testApp, secrets);
  const key = email.trim().toLowerCase();
  const now = () => testApp.runtime.deps.clock.now();
  if (reply.json().enrollmentRequired) {
    const started = await testApp.request({ method: "POST", url: "/api/support/me/totp", cookie: header, payload: {} });
    const secret = (started.json().secret as string).replace(/\s+/g, "");
    secrets.set(key, secret);
    const done = await testApp.request({
      method: "PUT",
      url: "/api/support/me/totp",
      cookie: header,
      payload: { totpCode: totpCode(secret, now()) },
    });
    if (done.statusCode !== 200) throw new Error(`agent enrolment failed: ${done.body}`);
    return reply;
  }
  const secret = secrets.get(key);
  if (!secret) throw new Error(`no authenticator secret known for ${email}`);
  // A code accepted once is a replay: use the next step's code if this step's was used.
  for (const offset of [0, 30_000]) {
    const done = await testApp.request({
      method: "POST",
      url: "/api/support/session/second-factor",
      cookie: header,
      payload: { totpCode: totpCode(secret, now() + offset) },
    });
    if (done.statusCode === 200) return reply;
  }
  throw new Error(`agent second step failed for ${email}`);
}
