/**
 * Configuration from the environment, parsed and validated once at start (API.md, "Configuration").
 * A bad value stops the server with a message naming the variable and what it accepts.
 */

import { createPrivateKey, createPublicKey, sign, verify, type JsonWebKey } from "node:crypto";

export type DatabaseConfig =
  { readonly dialect: "sqlite"; readonly path: string } | { readonly dialect: "postgres"; readonly url: string };

export interface TwilioConfig {
  readonly accountSid: string;
  readonly authToken: string;
  readonly fromNumber: string;
  readonly apiBaseUrl: string;
  /**
   * How long a request to Twilio may take (TWILIO_TIMEOUT_MS, at most 30 s: well within the
   * outbox's 60 s lease); past it, the text's outcome is uncertain.
   */
  readonly timeoutMs: number;
}

export interface Config {
  readonly port: number;
  readonly host: string;
  /** Canonical origin such as `https://portal.example.com`; links and the Origin check use it. */
  readonly publicUrl: URL;
  /**
   * The origins the Origin check accepts: PUBLIC_URL's alone, except when PUBLIC_URL is unset
   * outside production. Then the server is on this machine only, and the loopback names of its
   * port (`localhost`, `127.0.0.1`, `[::1]`) are all the same server: a person who opens the
   * address a log line printed must be able to sign in there.
   */
  readonly allowedOrigins: readonly string[];
  readonly database: DatabaseConfig;
  readonly redisUrl: string | undefined;
  /** Prefix of every Redis key Staffgate writes (several deployments may share one Redis). */
  readonly redisPrefix: string;
  readonly smtpUrl: string | undefined;
  readonly mailFrom: string;
  readonly smsProvider: "mailbox" | "twilio";
  readonly twilio: TwilioConfig | undefined;
  /**
   * Whether texts can be sent at all. Not in production with SMS_PROVIDER=mailbox: a text would
   * only be kept in memory, so the STAFF page says why "Via SMS" is off and nothing is charged.
   */
  readonly smsAvailable: boolean;
  /**
   * Whether /dev/mailbox lists what the dev mailbox kept (DEV_MAILBOX; default true outside
   * production, so `npm start`'s first run shows its messages; never in production). Served
   * to loopback clients only.
   */
  readonly devMailbox: boolean;
  readonly supportContact: string;
  /** A second support agent must approve a verified owner recovery (SUPPORT_DUAL_CONTROL). */
  readonly supportDualControl: boolean;
  readonly production: boolean;
  /**
   * Which proxies' X-Forwarded-For to believe: none (default), a number of hops, or a list of
   * proxy addresses/CIDRs. Never "everyone": a client could then pick its own IP.
   */
  readonly trustProxy: false | number | string[];
  /** When set, /metrics requires `Authorization: Bearer <METRICS_TOKEN>`. */
  readonly metricsToken: string | undefined;
  /**
   * Keys that seal outbox message bodies at rest (OUTBOX_KEYS): the first seals, all open. Unset:
   * on SQLite a key file beside the database; PostgreSQL (several nodes) needs them set.
   */
  readonly outboxKeys: readonly Buffer[] | undefined;
  /**
   * The identity provider's signing keys (OIDC_SIGNING_KEYS, a JWKS of private keys): the first
   * signs, all are published. Unset: on SQLite a key file beside the database; PostgreSQL (several
   * nodes) needs them set.
   */
  readonly oidcSigningKeys: readonly OidcSigningKey[] | undefined;
  readonly logLevel: string;
  /** Forgot Password emails one business may send per hour (RESET_EMAILS_PER_BUSINESS_PER_HOUR). */
  readonly resetEmailsPerBusinessPerHour: number;
  /** Audit events older than this are deleted (AUDIT_RETENTION_DAYS); unset: kept for good. */
  readonly auditRetentionDays: number | undefined;
  /** Texts to one person per hour (SMS_PER_PERSON_PER_HOUR), counted across every node. */
  readonly smsPerPersonPerHour: number;
  /** Texts one business may send per hour (SMS_PER_BUSINESS_PER_HOUR), counted across every node. */
  readonly smsPerBusinessPerHour: number;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = "ConfigError";
  }
}

export type Environment = Readonly<Record<string, string | undefined>>;

const DEFAULT_SUPPORT_CONTACT =
  "Call Staffgate support at +1 (555) 010-0199 or write to support@staffgate.example to recover the owner account.";

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

export function loadConfig(env: Environment = process.env): Config {
  const port = parsePort(env);
  const host = nonEmpty(env, "HOST") ?? "127.0.0.1";
  const publicUrl = parsePublicUrl(env, port);
  const smsProvider = parseSmsProvider(env);
  const production = env["NODE_ENV"] === "production";
  const publicUrlSet = nonEmpty(env, "PUBLIC_URL") !== undefined;
  const smtpUrl = parseUrlWithProtocols(env, "SMTP_URL", ["smtp:", "smtps:"]);
  // Without SMTP, reset links and notices would only be kept in this process's memory and lost:
  // in production that is a misconfiguration, not a mode.
  if (production && smtpUrl === undefined) {
    throw new ConfigError(
      "SMTP_URL",
      "is required with NODE_ENV=production: without it emails (reset links, notices) are not sent but kept in memory. Set it to your mail relay, e.g. smtps://user:pass@smtp.example.com:465",
    );
  }
  const devMailbox = parseBoolean(env, "DEV_MAILBOX", !production);
  if (production && devMailbox) {
    throw new ConfigError("DEV_MAILBOX", "can't be true with NODE_ENV=production: /dev/mailbox is a development page");
  }
  // Links in emails and the Origin check need the address people really use; a guess
  // (localhost) would refuse every sign-in and mail out links that lead nowhere.
  if (production && !publicUrlSet) {
    throw new ConfigError(
      "PUBLIC_URL",
      "is required with NODE_ENV=production: links in emails and the check of where requests come from use it. Set it to the address people open, e.g. https://portal.example.com",
    );
  }
  return {
    port,
    host,
    publicUrl,
    allowedOrigins: publicUrlSet || production ? [publicUrl.origin] : loopbackOrigins(port),
    database: parseDatabaseUrl(env),
    redisUrl: parseUrlWithProtocols(env, "REDIS_URL", ["redis:", "rediss:"]),
    redisPrefix: nonEmpty(env, "REDIS_PREFIX") ?? "staffgate:",
    smtpUrl,
    mailFrom: nonEmpty(env, "MAIL_FROM") ?? "Staffgate <no-reply@localhost>",
    smsProvider,
    twilio: smsProvider === "twilio" ? parseTwilio(env) : undefined,
    smsAvailable: !(production && smsProvider === "mailbox"),
    devMailbox,
    supportContact: nonEmpty(env, "SUPPORT_CONTACT") ?? DEFAULT_SUPPORT_CONTACT,
    supportDualControl: parseBoolean(env, "SUPPORT_DUAL_CONTROL", true),
    production,
    metricsToken: nonEmpty(env, "METRICS_TOKEN"),
    trustProxy: parseTrustProxy(env),
    outboxKeys: parseOutboxKeys(env),
    oidcSigningKeys: parseOidcSigningKeys(env),
    logLevel: parseLogLevel(env),
    resetEmailsPerBusinessPerHour: parseWholeNumber(env, "RESET_EMAILS_PER_BUSINESS_PER_HOUR", 1, 100_000) ?? 100,
    auditRetentionDays: parseWholeNumber(env, "AUDIT_RETENTION_DAYS", 1, 36_500),
    smsPerPersonPerHour: parseWholeNumber(env, "SMS_PER_PERSON_PER_HOUR", 1, 1000) ?? 3,
    smsPerBusinessPerHour: parseWholeNumber(env, "SMS_PER_BUSINESS_PER_HOUR", 1, 100_000) ?? 20,
  };
}

function parseWholeNumber(env: Environment, name: string, min: number, max: number): number | undefined {
  const raw = nonEmpty(env, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new ConfigError(name, `must be a whole number from ${min} to ${max} (got "${raw}")`);
  }
  return value;
}

function nonEmpty(env: Environment, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
}

function parseBoolean(env: Environment, name: string, fallback: boolean): boolean {
  const raw = nonEmpty(env, name);
  if (raw === undefined) return fallback;
  if (raw === "true") return true;
  if (raw === "false") return false;
  throw new ConfigError(name, `must be "true" or "false" (got "${raw}")`);
}

function parseTrustProxy(env: Environment): false | number | string[] {
  const raw = nonEmpty(env, "TRUST_PROXY");
  if (raw === undefined || raw === "false") return false;
  if (/^\d{1,2}$/.test(raw)) return Number(raw);
  const entries = raw.split(",").map((entry) => entry.trim());
  if (raw !== "true" && entries.every((entry) => /^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(entry))) return entries;
  throw new ConfigError(
    "TRUST_PROXY",
    `must be a number of proxy hops (e.g. 1) or a comma-separated list of proxy addresses/CIDRs (got "${raw}")`,
  );
}

function parseOutboxKeys(env: Environment): Buffer[] | undefined {
  const raw = nonEmpty(env, "OUTBOX_KEYS");
  if (raw === undefined) return undefined;
  return raw.split(",").map((entry, i) => {
    const text = entry.trim();
    const key = Buffer.from(text, "base64");
    // Buffer.from ignores what isn't base64; a key must survive the round trip whole.
    const canonical = key.toString("base64");
    if (key.length !== 32 || (text !== canonical && text !== key.toString("base64url"))) {
      throw new ConfigError(
        "OUTBOX_KEYS",
        `must be comma-separated base64 keys of 32 bytes, e.g. from \`openssl rand -base64 32\` (key ${i + 1} is not)`,
      );
    }
    return key;
  });
}

/** A private JSON Web Key as OIDC_SIGNING_KEYS gives it (`kid` and `alg` required). */
export interface OidcSigningKey {
  readonly kty: string;
  readonly kid: string;
  readonly alg: string;
  readonly [member: string]: unknown;
}

/**
 * Asymmetric algorithms only: a signing key is never a shared secret, and a client secret is
 * never a key (identity-provider/provider.ts turns HS* off).
 */
const SIGNING_ALGORITHMS: Readonly<Record<string, string>> = {
  RS256: "RSA",
  PS256: "RSA",
  ES256: "EC",
  EdDSA: "OKP",
};

/** Whether the key signs something its own public half verifies (a JWK's parts can disagree). */
function signsAndVerifies(jwk: JsonWebKey, alg: string): boolean {
  try {
    const privateKey = createPrivateKey({ key: jwk, format: "jwk" });
    const digest = alg === "EdDSA" ? null : "sha256";
    const data = Buffer.from("staffgate signing key check");
    return verify(digest, data, createPublicKey(privateKey), sign(digest, data, privateKey));
  } catch {
    return false;
  }
}

function parseOidcSigningKeys(env: Environment): OidcSigningKey[] | undefined {
  const raw = nonEmpty(env, "OIDC_SIGNING_KEYS");
  if (raw === undefined) return undefined;
  const problem = (text: string) =>
    new ConfigError("OIDC_SIGNING_KEYS", `must be a JWKS of private signing keys, {"keys":[…]}: ${text}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw problem("it is not valid JSON");
  }
  const keys = (parsed as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0) throw problem('it has no "keys" array, or the array is empty');
  const kids = new Set<string>();
  return keys.map((key: unknown, i) => {
    const n = i + 1;
    if (typeof key !== "object" || key === null) throw problem(`key ${n} is not an object`);
    const jwk = key as Record<string, unknown>;
    if (typeof jwk["kid"] !== "string" || jwk["kid"] === "") throw problem(`key ${n} has no "kid"`);
    const alg = jwk["alg"];
    if (typeof alg !== "string" || !(alg in SIGNING_ALGORITHMS)) {
      throw problem(`key ${n} needs "alg", one of ${Object.keys(SIGNING_ALGORITHMS).join(", ")}`);
    }
    if (jwk["kty"] !== SIGNING_ALGORITHMS[alg])
      throw problem(`key ${n} is not a ${SIGNING_ALGORITHMS[alg]} key (alg ${alg})`);
    if (typeof jwk["d"] !== "string") throw problem(`key ${n} is a public key; the private key is needed to sign`);
    if (jwk["use"] !== undefined && jwk["use"] !== "sig") throw problem(`key ${n} has "use" other than "sig"`);
    if (kids.has(jwk["kid"])) throw problem(`key ${n} repeats the kid "${jwk["kid"]}"`);
    kids.add(jwk["kid"]);
    if (!signsAndVerifies(jwk as JsonWebKey, alg)) throw problem(`key ${n} is not a valid private key`);
    if (alg === "RS256" || alg === "PS256") {
      const bits = Buffer.from(String(jwk["n"]), "base64url").length * 8;
      if (bits < 2048) throw problem(`key ${n} is an RSA key of ${bits} bits; at least 2048 are needed`);
    }
    return jwk as OidcSigningKey;
  });
}

function parsePort(env: Environment): number {
  const raw = nonEmpty(env, "PORT");
  if (raw === undefined) return 3000;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65535) {
    throw new ConfigError("PORT", `must be a whole number from 1 to 65535 (got "${raw}")`);
  }
  return port;
}

/** Every loopback name of this port, `localhost` (PUBLIC_URL's default) first. */
function loopbackOrigins(port: number): string[] {
  return [`http://localhost:${port}`, `http://127.0.0.1:${port}`, `http://[::1]:${port}`];
}

function parsePublicUrl(env: Environment, port: number): URL {
  const raw = nonEmpty(env, "PUBLIC_URL") ?? `http://localhost:${port}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError("PUBLIC_URL", `must be an absolute http(s) URL (got "${raw}")`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigError("PUBLIC_URL", `must use http or https (got "${url.protocol}")`);
  }
  if ((url.pathname !== "/" && url.pathname !== "") || url.search || url.hash) {
    throw new ConfigError("PUBLIC_URL", `must be an origin without path, query or fragment (got "${raw}")`);
  }
  return new URL(url.origin);
}

function parseDatabaseUrl(env: Environment): DatabaseConfig {
  const raw = nonEmpty(env, "DATABASE_URL") ?? "sqlite:./data/staffgate.db";
  if (raw.startsWith("sqlite:")) {
    const path = raw.slice("sqlite:".length);
    if (path === "") throw new ConfigError("DATABASE_URL", 'needs a file path after "sqlite:", or ":memory:"');
    return { dialect: "sqlite", path };
  }
  if (raw.startsWith("postgres://") || raw.startsWith("postgresql://")) {
    try {
      new URL(raw);
    } catch {
      throw new ConfigError("DATABASE_URL", "is not a valid postgres:// URL");
    }
    return { dialect: "postgres", url: raw };
  }
  throw new ConfigError("DATABASE_URL", 'must be "sqlite:PATH" or "postgres://…"');
}

function parseUrlWithProtocols(env: Environment, name: string, protocols: string[]): string | undefined {
  const raw = nonEmpty(env, name);
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, `must be a URL starting with ${protocols.join(" or ")}//`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(name, `must be a URL starting with ${protocols.join(" or ")}// (got "${url.protocol}//")`);
  }
  return raw;
}

function parseSmsProvider(env: Environment): "mailbox" | "twilio" {
  const raw = nonEmpty(env, "SMS_PROVIDER") ?? "mailbox";
  if (raw !== "mailbox" && raw !== "twilio") {
    throw new ConfigError("SMS_PROVIDER", `must be "mailbox" or "twilio" (got "${raw}")`);
  }
  return raw;
}

function parseTwilio(env: Environment): TwilioConfig {
  const required = (name: string): string => {
    const value = nonEmpty(env, name);
    if (value === undefined) throw new ConfigError(name, "is required when SMS_PROVIDER=twilio");
    return value;
  };
  const apiBaseUrl = parseUrlWithProtocols(env, "TWILIO_API_BASE_URL", ["https:", "http:"]);
  return {
    accountSid: required("TWILIO_ACCOUNT_SID"),
    authToken: required("TWILIO_AUTH_TOKEN"),
    fromNumber: required("TWILIO_FROM_NUMBER"),
    apiBaseUrl: (apiBaseUrl ?? "https://api.twilio.com").replace(/\/+$/, ""),
    timeoutMs: parseWholeNumber(env, "TWILIO_TIMEOUT_MS", 100, 30_000) ?? 10_000,
  };
}

function parseLogLevel(env: Environment): string {
  const raw = nonEmpty(env, "LOG_LEVEL") ?? "info";
  if (!LOG_LEVELS.includes(raw)) {
    throw new ConfigError("LOG_LEVEL", `must be one of ${LOG_LEVELS.join(", ")} (got "${raw}")`);
  }
  return raw;
}
