/**
 * oidc-provider's storage adapter over Kysely, so that every node sees the same sessions, codes
 * and tokens on SQLite and PostgreSQL alike (oidc-provider's docs, "Adapter").
 *
 * - A model's id is a bearer value for codes, tokens, sessions (the `_session` cookie) and
 *   interactions (the `_interaction` cookie): only its SHA-256 is stored (SECURITY.md). The id is
 *   taken out of the payload (`jti`) and given back from the lookup.
 * - The payload is sealed with the secret box (AES-256-GCM), bound to its kind and hashed id: an
 *   interaction holds its session's cookie value, and a payload copied into another row won't open.
 * - `grant_id`, `uid`, `staff_id` and `client_id` are lifted out, so a grant's tokens, a session
 *   by uid, and everything of one person (sign-out everywhere) or one app go in one statement.
 * - "Client" is not stored here: apps come from `oidc_clients` (client-metadata.ts).
 */
import type { Adapter, AdapterPayload } from "oidc-provider";
import type { Executor } from "../../db/database.js";
import type { Clock } from "../../shared/clock.js";
import { sha256Hex } from "../../shared/hash.js";
import type { SecretBox } from "../../shared/secret-box.js";
import {
  consumeModel,
  deleteModelsOfGrant,
  destroyModel,
  findModel,
  findModelBy,
  upsertModel,
  type StoredModel,
} from "./oidc-models.repository.js";

export interface AdapterDeps {
  readonly db: Executor;
  readonly clock: Clock;
  readonly secretBox: SecretBox;
}

/** The kinds oidc-provider revokes by grant (its memory adapter's `grantable`). */
const ISSUED_UNDER_GRANT = new Set([
  "AccessToken",
  "AuthorizationCode",
  "RefreshToken",
  "DeviceCode",
  "BackchannelAuthenticationRequest",
  "PreAuthorizedCode",
]);

const sealContext = (kind: string, idHash: string) => JSON.stringify(["oidc", kind, idHash]);

/** The stored payload of one row, opened; undefined when it won't open (altered, or a key not given). */
export function openPayload(
  secretBox: SecretBox,
  kind: string,
  idHash: string,
  sealed: string,
): AdapterPayload | undefined {
  try {
    return JSON.parse(secretBox.open(sealed, sealContext(kind, idHash))) as AdapterPayload;
  } catch {
    return undefined;
  }
}

export function createModelAdapter(deps: AdapterDeps, kind: string): Adapter {
  const toPayload = (idHash: string, row: StoredModel | undefined, id?: string): AdapterPayload | undefined => {
    if (!row) return undefined;
    const payload = openPayload(deps.secretBox, kind, idHash, row.payload);
    if (!payload) return undefined;
    if (id !== undefined) payload.jti = id;
    if (row.consumed_at !== null) payload.consumed = Math.floor(row.consumed_at / 1000);
    return payload;
  };

  return {
    async upsert(id, payload, expiresIn) {
      const idHash = sha256Hex(id);
      const { jti: _jti, consumed: _consumed, ...rest } = payload;
      const text = (value: unknown) => (typeof value === "string" ? value : null);
      await upsertModel(deps.db, {
        kind,
        id_hash: idHash,
        payload: deps.secretBox.seal(JSON.stringify(rest), sealContext(kind, idHash)),
        // Only what is issued under a grant is revoked with it (as oidc-provider's own adapter
        // does): an interaction names the grant it started from, but must outlive a revocation.
        grant_id: ISSUED_UNDER_GRANT.has(kind) ? text(payload.grantId) : null,
        uid: text(payload.uid),
        user_code_hash: typeof payload.userCode === "string" ? sha256Hex(payload.userCode) : null,
        staff_id: text(payload.accountId),
        client_id: text(payload["clientId"]),
        expires_at: deps.clock.now() + expiresIn * 1000,
        consumed_at: null,
      });
    },
    async find(id) {
      const idHash = sha256Hex(id);
      return toPayload(idHash, await findModel(deps.db, kind, idHash, deps.clock.now()), id);
    },
    // Found by another field, the id (which only its hash stands for) can't be given back: a
    // session found by uid is only read (token_helpers.js, interactionDetails), never saved again.
    async findByUid(uid) {
      const row = await findModelBy(deps.db, kind, "uid", uid, deps.clock.now());
      return row ? toPayload(row.id_hash, row) : undefined;
    },
    async findByUserCode(userCode) {
      const row = await findModelBy(deps.db, kind, "user_code_hash", sha256Hex(userCode), deps.clock.now());
      return row ? toPayload(row.id_hash, row) : undefined;
    },
    async consume(id) {
      await consumeModel(deps.db, kind, sha256Hex(id), deps.clock.now());
    },
    async destroy(id) {
      await destroyModel(deps.db, kind, sha256Hex(id));
    },
    async revokeByGrantId(grantId) {
      await deleteModelsOfGrant(deps.db, kind, grantId);
    },
  };
}
