/**
 * Names, business names and reasons refuse control characters (C0, C1, CR/LF, DEL) and the
 * bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) on every entry: the STAFF
 * API (add and edit), account creation, and SMS credit grants by vendor support. Each answers
 * `400 validation_failed` naming the field, and nothing is written. (The CLI's entries are in
 * src/cli.test.ts.)
 */
import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAccount } from "../../src/modules/accounts/index.js";
import { grantCredits } from "../../src/modules/sms-credits/index.js";
import { createSupportAgent } from "../../src/modules/support/index.js";
import { sha256Hex } from "../../src/shared/hash.js";
import { FORBIDDEN_CHARACTERS_HINT } from "../../src/shared/text.js";
import { dialects } from "../support/dialects.js";
import { SAMPLE_ACCOUNT, createTestApp, seedAccount, sessionCookie, signIn, type TestApp } from "../support/http.js";

const BASE = `/api/accounts/${SAMPLE_ACCOUNT.slug}`;
const OWNER_PASSWORD = SAMPLE_ACCOUNT.ownerPassword as string;

/** One of each kind refused, inside a name that is otherwise fine. */
const HOSTILE: Array<[string, string]> = [
  ["line feed", "Sam\nRivera"],
  ["carriage return", "Sam\rRivera"],
  ["CRLF at the end", "Sam\r\n"],
  ["tab", "Sam\tRivera"],
  ["bell (C0)", "Sam\u0007"],
  ["escape (C0)", "\u001b[31mSam"],
  ["DEL", "Sam\u007f"],
  ["next line (C1)", "Sam\u0085Rivera"],
  ["CSI (C1)", "Sam\u009b"],
  ["right-to-left override", "Sam\u202Eavir"],
  ["left-to-right embedding", "\u202ASam"],
  ["pop directional formatting", "Sam\u202C"],
  ["first strong isolate", "\u2068Sam\u2069"],
  ["right-to-left isolate", "\u2067Sam"],
];

/** Names people really have: accents, scripts written right to left, apostrophes. */
const ORDINARY = ["Zoë", "O'Brien-Smith", "李", "עברית", "مرحبا", "Ångström"];

describe.each(dialects)("names and reasons refuse control and direction characters on %s", (dialect) => {
  let t: TestApp;
  let owner: string;
  let accountId: string;

  beforeEach(async () => {
    t = await createTestApp(dialect);
    accountId = (await seedAccount(t)).account.id;
    owner = sessionCookie(await signIn(t, "admin", OWNER_PASSWORD));
  });
  afterEach(async () => t.close());

  const staffCount = async () =>
    (await t.runtime.deps.db.selectFrom("staff").select("id").where("account_id", "=", accountId).execute()).length;

  it("refuses each of them in a staff member's first name, last name or username, when added", async () => {
    for (const [kind, bad] of HOSTILE) {
      for (const field of ["firstName", "lastName", "username"] as const) {
        const body = { username: "samr", firstName: "Sam", lastName: "Rivera", [field]: bad };
        const response = await t.request({ method: "POST", url: `${BASE}/staff`, cookie: owner, payload: body });
        expect(response.statusCode, `${kind} in ${field}: ${response.body}`).toBe(400);
        expect(response.json().error).toMatchObject({
          code: "validation_failed",
          details: { fields: { [field]: FORBIDDEN_CHARACTERS_HINT } },
        });
      }
    }
    expect(await staffCount()).toBe(1); // the owner only
  });

  it("refuses each of them in a staff member's names when edited, changing nothing", async () => {
    const added = await t.request({
      method: "POST",
      url: `${BASE}/staff`,
      cookie: owner,
      payload: { username: "samr", firstName: "Sam", lastName: "Rivera" },
    });
    const id = added.json().id as string;
    for (const [kind, bad] of HOSTILE) {
      for (const field of ["firstName", "lastName", "username"] as const) {
        const response = await t.request({
          method: "PATCH",
          url: `${BASE}/staff/${id}`,
          cookie: owner,
          payload: { [field]: bad },
        });
        expect(response.statusCode, `${kind} in ${field}: ${response.body}`).toBe(400);
        expect(response.json().error.details.fields).toEqual({ [field]: FORBIDDEN_CHARACTERS_HINT });
      }
    }
    const after = await t.request({ method: "GET", url: `${BASE}/staff/${id}`, cookie: owner });
    expect(after.json()).toMatchObject({ username: "samr", firstName: "Sam", lastName: "Rivera" });
  });

  it("accepts ordinary names in any script", async () => {
    for (const [i, name] of ORDINARY.entries()) {
      const response = await t.request({
        method: "POST",
        url: `${BASE}/staff`,
        cookie: owner,
        payload: { username: `person${i}`, firstName: name, lastName: name },
      });
      expect(response.statusCode, response.body).toBe(201);
      expect(response.json()).toMatchObject({ firstName: name, lastName: name });
    }
  });

  it("refuses each of them in a business's name or its owner's names at account creation", async () => {
    for (const [kind, bad] of HOSTILE) {
      for (const field of ["name", "ownerFirstName", "ownerLastName"] as const) {
        const slug = `hostile-${field.toLowerCase()}`;
        await expect(
          createAccount(t.runtime.deps, { ...SAMPLE_ACCOUNT, slug, [field]: bad }),
          `${kind} in ${field}`,
        ).rejects.toMatchObject({
          code: "validation_failed",
          details: { fields: { [field]: FORBIDDEN_CHARACTERS_HINT } },
        });
      }
    }
    const accounts = await t.runtime.deps.db.selectFrom("accounts").select("slug").execute();
    expect(accounts).toEqual([{ slug: SAMPLE_ACCOUNT.slug }]);
  });

  it("creates businesses with ordinary names in any script", async () => {
    const created = await createAccount(t.runtime.deps, {
      ...SAMPLE_ACCOUNT,
      slug: "kibbutz-swim",
      name: "בריכת הקיבוץ",
      ownerFirstName: "Zoë",
      ownerLastName: "O'Brien-Smith",
    });
    expect(created.account.name).toBe("בריכת הקיבוץ");
  });

  describe("SMS credit grants by vendor support", () => {
    let agent: string;
    beforeEach(async () => {
      const { id } = await createSupportAgent(t.runtime.deps, {
        email: "ann@staffgate.example",
        name: "Ann Agent",
        password: "granite-orchard-lamp-19",
      });
      // A signed-in agent's session, as its sign-in (with whatever steps it takes) leaves it.
      const token = randomBytes(32).toString("base64url");
      const now = t.runtime.deps.clock.now();
      await t.runtime.deps.db
        .insertInto("support_sessions")
        .values({
          id_hash: sha256Hex(token),
          agent_id: id,
          created_at: now,
          last_seen_at: now,
          expires_at: now + 3600_000,
          ip: null,
          stage: "active",
        })
        .execute();
      agent = `staffgate_support=${token}`;
    });

    const grant = (reason: string) =>
      t.request({
        method: "POST",
        url: `/api/support/accounts/${SAMPLE_ACCOUNT.slug}/sms-credits`,
        cookie: agent,
        payload: { amount: 10, reason },
      });
    const ledger = () =>
      t.runtime.deps.db.selectFrom("sms_credit_ledger").select("reason").where("account_id", "=", accountId).execute();

    it("refuses each of them in the reason, granting nothing", async () => {
      for (const [kind, bad] of HOSTILE) {
        const response = await grant(`Goodwill ${bad}`);
        expect(response.statusCode, `${kind}: ${response.body}`).toBe(400);
        expect(response.json().error).toMatchObject({
          code: "validation_failed",
          details: { fields: { reason: FORBIDDEN_CHARACTERS_HINT } },
        });
      }
      expect(await ledger()).toEqual([]);
      const balance = await t.runtime.deps.db
        .selectFrom("accounts")
        .select("sms_credits")
        .where("id", "=", accountId)
        .executeTakeFirstOrThrow();
      expect(balance.sms_credits).toBe(0);
    });

    it("grants with an ordinary reason, and the service refuses what the route does", async () => {
      expect((await grant("Geschenk für Zoë — 10 Credits")).json()).toEqual({ smsCredits: 10 });
      await expect(
        grantCredits(t.runtime.deps.db, t.runtime.deps, {
          accountId,
          amount: 1,
          reason: "Top-up\r\nX-Injected: yes",
          source: "system",
          actor: { type: "system", id: null, name: "Staffgate CLI" },
        }),
      ).rejects.toMatchObject({
        code: "validation_failed",
        details: { fields: { reason: FORBIDDEN_CHARACTERS_HINT } },
      });
      expect(await ledger()).toEqual([{ reason: "Geschenk für Zoë — 10 Credits" }]);
    });
  });
});
