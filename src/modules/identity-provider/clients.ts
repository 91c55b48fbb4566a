/**
 * The apps plugged into the identity provider (`oidc-client:create`, `:list`, `:delete`). They
 * are the vendor's own apps, registered by the vendor: there is no dynamic registration.
 *
 * A confidential app gets a 256-bit secret, shown once; only its SHA-256 is kept (a random
 * secret of that size needs no slow hash). A public app (a single-page or native app) has no
 * secret and proves itself with PKCE alone.
 *
 * Plain-http addresses on this machine (localhost, 127.0.0.1, [::1]) are for an app in
 * development only, registered as such (`--development`): on a production app they would send
 * codes and logout tokens to whatever listens on the machine of the person signing in.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database, Executor } from "../../db/database.js";
import type { Clock } from "../../shared/clock.js";
import { DomainError } from "../../shared/errors.js";
import { newId, newToken, type Random } from "../../shared/random.js";
import { recordAuditEvent } from "../audit/index.js";
import { deleteModelsOfClient } from "./oidc-models.repository.js";
import { deleteClient, insertClient, listClients, type OidcClientRow } from "./oidc-clients.repository.js";

export interface ClientDeps {
  readonly clock: Clock;
  readonly random: Random;
}

export interface NewOidcClient {
  readonly name: string;
  readonly redirectUris: readonly string[];
  readonly postLogoutRedirectUris?: readonly string[];
  readonly backchannelLogoutUri?: string;
  readonly public?: boolean;
  /** An app in development: its addresses may be plain http on this machine. */
  readonly development?: boolean;
}

export interface OidcClientView {
  readonly clientId: string;
  readonly name: string;
  readonly public: boolean;
  readonly redirectUris: string[];
  readonly postLogoutRedirectUris: string[];
  readonly backchannelLogoutUri: string | null;
  readonly createdAt: string;
}

const SECRET_PREFIX = "sha256:";
const CLI = { type: "system", id: null, name: "Staffgate CLI" } as const;
const MAX_NAME_LENGTH = 100;
const MAX_URIS = 20;
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

export function hashClientSecret(secret: string): string {
  return SECRET_PREFIX + createHash("sha256").update(secret, "utf8").digest("hex");
}

/** Whether `presented` is the secret whose hash is `stored`, in time that doesn't depend on where they differ. */
export function clientSecretMatches(stored: string | undefined, presented: unknown): boolean {
  if (typeof stored !== "string" || !stored.startsWith(SECRET_PREFIX) || typeof presented !== "string") return false;
  const expected = Buffer.from(stored.slice(SECRET_PREFIX.length), "hex");
  const actual = createHash("sha256").update(presented, "utf8").digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/**
 * Where an app may be sent back to: an absolute https address, or, for an app in development,
 * http on this machine. No fragment (OAuth 2.0, RFC 6749 §3.1.2), no user name or password in it.
 */
export function redirectUriProblem(value: string, app: { readonly development?: boolean } = {}): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "must be an absolute URL";
  }
  if (url.hash || value.includes("#")) return "must not have a fragment (#…)";
  if (url.username || url.password) return "must not carry a user name or password";
  if (url.protocol === "https:") return undefined;
  if (url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname)) {
    return app.development
      ? undefined
      : "must use https (http on localhost only for an app in development: --development)";
  }
  return "must use https (http only on localhost, 127.0.0.1 or [::1], in development)";
}

function validate(input: NewOidcClient): void {
  const fields: Record<string, string> = {};
  const name = input.name.trim();
  if (name === "" || name.length > MAX_NAME_LENGTH || /\p{Cc}/u.test(name)) {
    fields["name"] = `1 to ${MAX_NAME_LENGTH} characters, without control characters`;
  }
  const lists: Array<[string, readonly string[]]> = [
    ["redirectUris", input.redirectUris],
    ["postLogoutRedirectUris", input.postLogoutRedirectUris ?? []],
  ];
  if (input.redirectUris.length === 0) fields["redirectUris"] = "at least one redirect URI is needed";
  for (const [field, uris] of lists) {
    if (uris.length > MAX_URIS) fields[field] = `at most ${MAX_URIS}`;
    for (const uri of uris) {
      const problem = redirectUriProblem(uri, input);
      if (problem) fields[field] = `${uri} ${problem}`;
    }
  }
  if (input.backchannelLogoutUri !== undefined) {
    const problem = redirectUriProblem(input.backchannelLogoutUri, input);
    if (problem) fields["backchannelLogoutUri"] = `${input.backchannelLogoutUri} ${problem}`;
  }
  if (Object.keys(fields).length > 0) throw new DomainError("validation_failed", undefined, { fields });
}

export async function createOidcClient(
  db: Kysely<Database>,
  deps: ClientDeps,
  input: NewOidcClient,
): Promise<{ clientId: string; clientSecret?: string }> {
  validate(input);
  const clientId = newId(deps.random, "app");
  const clientSecret = input.public ? undefined : newToken(deps.random, 32);
  const name = input.name.trim();
  await db.transaction().execute(async (tx) => {
    await insertClient(tx, {
      id: clientId,
      name,
      secret_hash: clientSecret === undefined ? null : hashClientSecret(clientSecret),
      redirect_uris: JSON.stringify([...new Set(input.redirectUris)]),
      post_logout_redirect_uris: JSON.stringify([...new Set(input.postLogoutRedirectUris ?? [])]),
      backchannel_logout_uri: input.backchannelLogoutUri ?? null,
      is_public: input.public ? 1 : 0,
      created_at: deps.clock.now(),
    });
    await recordAuditEvent(tx, deps, {
      accountId: null,
      source: "system",
      actor: CLI,
      action: "oidc_client.created",
      target: null,
      details: { clientId, name, public: input.public === true, development: input.development === true },
    });
  });
  return clientSecret === undefined ? { clientId } : { clientId, clientSecret };
}

export function toClientView(row: OidcClientRow): OidcClientView {
  return {
    clientId: row.id,
    name: row.name,
    public: row.is_public === 1,
    redirectUris: JSON.parse(row.redirect_uris) as string[],
    postLogoutRedirectUris: JSON.parse(row.post_logout_redirect_uris) as string[],
    backchannelLogoutUri: row.backchannel_logout_uri,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

export async function listOidcClients(db: Executor): Promise<OidcClientView[]> {
  return (await listClients(db)).map(toClientView);
}

/** Deletes the app and everything issued to it: its grants, codes and tokens stop working at once. */
export async function deleteOidcClient(db: Kysely<Database>, deps: ClientDeps, clientId: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    if (!(await deleteClient(tx, clientId))) throw new DomainError("not_found", "No app has that client id.");
    await deleteModelsOfClient(tx, clientId);
    await recordAuditEvent(tx, deps, {
      accountId: null,
      source: "system",
      actor: CLI,
      action: "oidc_client.deleted",
      target: null,
      details: { clientId },
    });
  });
}
