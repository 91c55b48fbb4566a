/**
 * Checking a logout token (OpenID Connect Back-Channel Logout 1.0, §2.6): the provider POSTs one
 * to the app when a person's sign-in at the provider ends — they signed out, changed their
 * password, or were made inactive — and the app must drop its own sessions of that person.
 *
 * Anybody can POST to the back-channel address, so nothing in the token counts until every check
 * below has passed.
 */
import { errors, jwtVerify, type JWTVerifyGetKey } from "jose";

export const BACKCHANNEL_LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout";

export interface LogoutTokenChecks {
  /** The provider's issuer, exactly as its discovery document says. */
  readonly issuer: string;
  /** This app's client id: the token must be addressed to it. */
  readonly clientId: string;
  /** The provider's signing keys (jose's `createRemoteJWKSet(jwks_uri)`). */
  readonly keys: JWTVerifyGetKey;
  /** The signing algorithms the provider uses; anything else (`none`, HMAC) is refused. */
  readonly algorithms: readonly string[];
  /** Seconds of clock difference tolerated between the provider and this app. */
  readonly clockToleranceSeconds?: number;
  /** The time now, for tests. */
  readonly currentDate?: Date;
}

/** Whose sign-in ended: a person (`sub`), one of their sessions at the provider (`sid`), or both. */
export interface LogoutRequest {
  readonly jti: string;
  readonly sub?: string;
  readonly sid?: string;
  /** Unix seconds after which the token no longer counts (for remembering its `jti`). */
  readonly exp: number;
}

export class InvalidLogoutToken extends Error {
  override readonly name = "InvalidLogoutToken";
}

export async function verifyLogoutToken(token: string, checks: LogoutTokenChecks): Promise<LogoutRequest> {
  let payload;
  try {
    ({ payload } = await jwtVerify(token, checks.keys, {
      issuer: checks.issuer,
      audience: checks.clientId,
      algorithms: [...checks.algorithms],
      // Explicit typing (§2.4) keeps an ID token, or any other JWT the provider signs, from being
      // replayed here as a logout token.
      typ: "logout+jwt",
      requiredClaims: ["iss", "aud", "iat", "exp", "jti"],
      clockTolerance: checks.clockToleranceSeconds ?? 30,
      ...(checks.currentDate ? { currentDate: checks.currentDate } : {}),
    }));
  } catch (error) {
    if (error instanceof errors.JOSEError) throw new InvalidLogoutToken(`not a valid logout token: ${error.code}`);
    throw error;
  }
  const events = payload["events"];
  const event =
    typeof events === "object" && events !== null
      ? (events as Record<string, unknown>)[BACKCHANNEL_LOGOUT_EVENT]
      : undefined;
  if (typeof event !== "object" || event === null || Array.isArray(event)) {
    throw new InvalidLogoutToken("the token carries no back-channel logout event");
  }
  // A nonce belongs in ID tokens only: its presence means this is not a logout token (§2.4).
  if ("nonce" in payload) throw new InvalidLogoutToken("a logout token must not carry a nonce");
  const sub = typeof payload.sub === "string" && payload.sub !== "" ? payload.sub : undefined;
  const sid = typeof payload["sid"] === "string" && payload["sid"] !== "" ? payload["sid"] : undefined;
  if (!sub && !sid) throw new InvalidLogoutToken("the token names neither a person (sub) nor a session (sid)");
  return {
    jti: payload.jti as string,
    exp: payload.exp as number,
    ...(sub ? { sub } : {}),
    ...(sid ? { sid } : {}),
  };
}
