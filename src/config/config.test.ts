import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.js";

describe("loadConfig", () => {
  it("has the defaults of API.md", () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.host).toBe("127.0.0.1");
    expect(config.publicUrl.origin).toBe("http://localhost:3000");
    expect(config.database).toEqual({ dialect: "sqlite", path: "./data/staffgate.db" });
    expect(config.redisUrl).toBeUndefined();
    expect(config.smtpUrl).toBeUndefined();
    expect(config.mailFrom).toBe("Staffgate <no-reply@localhost>");
    expect(config.smsProvider).toBe("mailbox");
    expect(config.supportContact.length).toBeGreaterThan(10);
  });

  it("derives PUBLIC_URL from PORT and accepts PostgreSQL URLs", () => {
    const config = loadConfig({ PORT: "8080", DATABASE_URL: "postgres://u@db:5432/staffgate" });
    expect(config.publicUrl.origin).toBe("http://localhost:8080");
    expect(config.database).toEqual({ dialect: "postgres", url: "postgres://u@db:5432/staffgate" });
  });

  it("accepts every loopback name of the port when PUBLIC_URL is unset, and only PUBLIC_URL's origin when set", () => {
    expect(loadConfig({ PORT: "8080" }).allowedOrigins).toEqual([
      "http://localhost:8080",
      "http://127.0.0.1:8080",
      "http://[::1]:8080",
    ]);
    expect(loadConfig({ PUBLIC_URL: "http://localhost:3000" }).allowedOrigins).toEqual(["http://localhost:3000"]);
    expect(loadConfig({ PUBLIC_URL: "https://portal.example.com" }).allowedOrigins).toEqual([
      "https://portal.example.com",
    ]);
  });

  it.each([
    [{ PORT: "eighty" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ PUBLIC_URL: "portal.example.com" }, "PUBLIC_URL"],
    [{ PUBLIC_URL: "ftp://portal.example.com" }, "PUBLIC_URL"],
    [{ PUBLIC_URL: "https://portal.example.com/app" }, "PUBLIC_URL"],
    [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL"],
    [{ DATABASE_URL: "sqlite:" }, "DATABASE_URL"],
    [{ REDIS_URL: "http://localhost:6379" }, "REDIS_URL"],
    [{ SMTP_URL: "localhost:25" }, "SMTP_URL"],
    [{ SMS_PROVIDER: "carrier-pigeon" }, "SMS_PROVIDER"],
    [{ SMS_PROVIDER: "twilio" }, "TWILIO_ACCOUNT_SID"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
    [{ TRUST_PROXY: "true" }, "TRUST_PROXY"],
    [{ TRUST_PROXY: "everyone" }, "TRUST_PROXY"],
    [{ SUPPORT_DUAL_CONTROL: "no" }, "SUPPORT_DUAL_CONTROL"],
    [{ OUTBOX_KEYS: "c2hvcnQ=" }, "OUTBOX_KEYS"],
    [{ OUTBOX_KEYS: `${"A".repeat(43)}=,not base64!` }, "OUTBOX_KEYS"],
  ])("names the variable in error for %o", (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^Invalid configuration: ${variable} `));
  });

  it("reads outbox keys, the sealing one first, and never echoes one in an error", () => {
    const [a, b] = [Buffer.alloc(32, 1), Buffer.alloc(32, 2)];
    expect(loadConfig({}).outboxKeys).toBeUndefined();
    expect(loadConfig({ OUTBOX_KEYS: `${a.toString("base64")}, ${b.toString("base64url")}` }).outboxKeys).toEqual([
      a,
      b,
    ]);
    const secretish = `${a.toString("base64")},${a.toString("base64").slice(0, 40)}`;
    expect(() => loadConfig({ OUTBOX_KEYS: secretish })).toThrow(/key 2 is not/);
    expect(() => loadConfig({ OUTBOX_KEYS: secretish })).not.toThrow(a.toString("base64").slice(0, 40));
  });

  it("reads the identity provider's signing keys, refusing public, symmetric, weak or unnamed ones", () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const rsa = { ...privateKey.export({ format: "jwk" }), kid: "k1", alg: "RS256" };
    const { d: _d, ...publicOnly } = rsa;
    const ec = {
      ...generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" }),
      kid: "k2",
    };
    const weak = {
      ...generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ format: "jwk" }),
      kid: "k3",
      alg: "RS256",
    };
    const otherRsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });
    const keys = (...list: object[]) => JSON.stringify({ keys: list });
    expect(loadConfig({}).oidcSigningKeys).toBeUndefined();
    expect(
      loadConfig({ OIDC_SIGNING_KEYS: keys(rsa, { ...ec, alg: "ES256" }) }).oidcSigningKeys?.map((k) => k.kid),
    ).toEqual(["k1", "k2"]);
    const refusals: Array<[string, RegExp]> = [
      ["{not json", /not valid JSON/],
      [JSON.stringify({ keys: [] }), /no "keys" array/],
      [keys(publicOnly), /key 1 is a public key/],
      [keys({ ...rsa, kid: undefined }), /key 1 has no "kid"/],
      [keys({ ...rsa, alg: undefined }), /key 1 needs "alg"/],
      [keys({ kty: "oct", k: "c2VjcmV0", kid: "h", alg: "HS256" }), /key 1 needs "alg"/],
      [keys({ ...ec, alg: "RS256" }), /key 1 is not a RSA key/],
      [keys(rsa, { ...rsa }), /key 2 repeats the kid "k1"/],
      [keys(weak), /1024 bits/],
      // Parts of two keys mixed: the public half doesn't match the private one.
      [keys({ ...rsa, n: otherRsa.n }), /key 1 is not a valid private key/],
    ];
    for (const [raw, problem] of refusals) {
      expect(() => loadConfig({ OIDC_SIGNING_KEYS: raw }), raw.slice(0, 40)).toThrow(problem);
      expect(() => loadConfig({ OIDC_SIGNING_KEYS: raw })).toThrow(/^Invalid configuration: OIDC_SIGNING_KEYS /);
      expect(() => loadConfig({ OIDC_SIGNING_KEYS: raw })).not.toThrow(String(rsa.d).slice(0, 20));
    }
  });

  it("trusts proxies only by hop count or by address", () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: "1" }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: "10.0.0.0/8, 192.168.1.10" }).trustProxy).toEqual(["10.0.0.0/8", "192.168.1.10"]);
  });

  it("reads the Twilio settings when SMS_PROVIDER=twilio", () => {
    const config = loadConfig({
      SMS_PROVIDER: "twilio",
      TWILIO_ACCOUNT_SID: "AC123",
      TWILIO_AUTH_TOKEN: "secret",
      TWILIO_FROM_NUMBER: "+15550100",
      TWILIO_API_BASE_URL: "http://127.0.0.1:9999/",
    });
    expect(config.twilio).toEqual({
      accountSid: "AC123",
      authToken: "secret",
      fromNumber: "+15550100",
      apiBaseUrl: "http://127.0.0.1:9999",
      timeoutMs: 10_000,
    });
  });

  it("reads the SMS caps and the Twilio timeout, refusing what isn't a whole number in range", () => {
    const defaults = loadConfig({});
    expect([defaults.smsPerPersonPerHour, defaults.smsPerBusinessPerHour]).toEqual([3, 20]);
    const set = loadConfig({ SMS_PER_PERSON_PER_HOUR: "5", SMS_PER_BUSINESS_PER_HOUR: "200" });
    expect([set.smsPerPersonPerHour, set.smsPerBusinessPerHour]).toEqual([5, 200]);
    expect(() => loadConfig({ SMS_PER_PERSON_PER_HOUR: "0" })).toThrow(/SMS_PER_PERSON_PER_HOUR/);
    expect(() => loadConfig({ SMS_PER_BUSINESS_PER_HOUR: "lots" })).toThrow(/SMS_PER_BUSINESS_PER_HOUR/);
    const twilio = {
      SMS_PROVIDER: "twilio",
      TWILIO_ACCOUNT_SID: "AC1",
      TWILIO_AUTH_TOKEN: "t",
      TWILIO_FROM_NUMBER: "+1",
    };
    expect(loadConfig({ ...twilio, TWILIO_TIMEOUT_MS: "2500" }).twilio?.timeoutMs).toBe(2500);
    expect(() => loadConfig({ ...twilio, TWILIO_TIMEOUT_MS: "5" })).toThrow(/TWILIO_TIMEOUT_MS/);
  });

  describe("in production (NODE_ENV=production)", () => {
    const production = {
      NODE_ENV: "production",
      SMTP_URL: "smtps://relay.example.com:465",
      PUBLIC_URL: "https://portal.example.com",
    };
    const twilio = {
      SMS_PROVIDER: "twilio",
      TWILIO_ACCOUNT_SID: "AC1",
      TWILIO_AUTH_TOKEN: "t",
      TWILIO_FROM_NUMBER: "+1",
    };

    it("refuses to start without SMTP_URL, whose emails would only be kept in memory", () => {
      expect(() => loadConfig({ NODE_ENV: "production" })).toThrow(ConfigError);
      expect(() => loadConfig({ NODE_ENV: "production", ...twilio })).toThrow(
        /^Invalid configuration: SMTP_URL is required with NODE_ENV=production/,
      );
      expect(loadConfig(production).smtpUrl).toBe("smtps://relay.example.com:465");
      expect(loadConfig({}).smtpUrl).toBeUndefined(); // development keeps the dev mailbox
    });

    it("requires PUBLIC_URL, and accepts only its origin", () => {
      const { PUBLIC_URL: _unset, ...withoutPublicUrl } = production;
      expect(() => loadConfig(withoutPublicUrl)).toThrow(
        /^Invalid configuration: PUBLIC_URL is required with NODE_ENV=production/,
      );
      expect(loadConfig(production).allowedOrigins).toEqual(["https://portal.example.com"]);
    });

    it("reports texts unavailable with SMS_PROVIDER=mailbox, available with Twilio or outside production", () => {
      expect(loadConfig(production).smsAvailable).toBe(false);
      expect(loadConfig({ ...production, SMS_PROVIDER: "mailbox" }).smsAvailable).toBe(false);
      expect(loadConfig({ ...production, ...twilio }).smsAvailable).toBe(true);
      expect(loadConfig({}).smsAvailable).toBe(true);
    });

    it("never serves the dev mailbox, which is on by default only in development", () => {
      expect(loadConfig({}).devMailbox).toBe(true);
      expect(loadConfig({ NODE_ENV: "development" }).devMailbox).toBe(true);
      expect(loadConfig({ DEV_MAILBOX: "false" }).devMailbox).toBe(false);
      expect(loadConfig(production).devMailbox).toBe(false);
      expect(loadConfig({ ...production, DEV_MAILBOX: "false" }).devMailbox).toBe(false);
      expect(() => loadConfig({ ...production, DEV_MAILBOX: "true" })).toThrow(
        /^Invalid configuration: DEV_MAILBOX can't be true with NODE_ENV=production/,
      );
      expect(() => loadConfig({ DEV_MAILBOX: "yes" })).toThrow(/^Invalid configuration: DEV_MAILBOX /);
    });
  });
});
