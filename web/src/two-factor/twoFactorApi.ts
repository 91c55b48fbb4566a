// Client for two-step sign-in (shared/API.md v2, "two-factor sign-in"): the second step of a
// sign-in, setting up an authenticator app (signed in, or during a sign-in when the business
// requires it), recovery codes, and an admin's reset of someone's second factors.
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from "@simplewebauthn/browser";
import { accountPath, request, staffPath, type SignInResult } from "../api";

/** A second step: a code from the authenticator app, or one of the recovery codes. */
export type SecondFactorProof = { totpCode: string } | { recoveryCode: string };

/** What the app needs to be set up; nothing is in force until the first code confirms it. */
export interface TotpEnrolment {
  /** Base32, in groups of four, for typing into the app by hand. */
  secret: string;
  otpauthUri: string;
  /** The QR code of `otpauthUri` as SVG markup; shown as an image (the CSP forbids inline styles). */
  qrSvg: string;
}

/**
 * The app is confirmed; the recovery codes are shown this once. During a sign-in (`signedIn`),
 * the session has started too, and the rest is as after any sign-in.
 */
export type TotpConfirmed = { recoveryCodes: string[] } & (
  ({ signedIn: true } & SignInResult) | { signedIn?: undefined; staff?: undefined; passwordChangeRequired?: undefined }
);

/** A registered passkey, as its owner sees it. */
export interface Passkey {
  id: string;
  name: string;
  /** ISO 8601. */
  createdAt: string;
  lastUsedAt: string | null;
}

export const twoFactorApi = {
  /**
   * Completes a pending sign-in (`200` as after a sign-in, with the session cookie);
   * `401 invalid_second_factor`, `429`, `401 unauthenticated` when the 5 minutes are over.
   */
  completeSignIn(slug: string, proof: SecondFactorProof): Promise<SignInResult> {
    return request("POST", accountPath(slug, "/session/second-factor"), { body: proof });
  },

  /** Starts (or restarts) setting up an authenticator app: signed in, or with a pending sign-in. */
  startTotp(slug: string): Promise<TotpEnrolment> {
    return request("POST", accountPath(slug, "/me/totp"), { body: {} });
  },

  /** The app's first code confirms it; `401 invalid_second_factor`. */
  confirmTotp(slug: string, totpCode: string): Promise<TotpConfirmed> {
    return request("PUT", accountPath(slug, "/me/totp"), { body: { totpCode } });
  },

  /** Sudo mode; `409 two_factor_required` when the business requires it and it's the last factor. */
  removeTotp(slug: string): Promise<void> {
    return request("DELETE", accountPath(slug, "/me/totp"));
  },

  /** Sudo mode: new codes replace the old ones. */
  newRecoveryCodes(slug: string): Promise<{ recoveryCodes: string[] }> {
    return request("POST", accountPath(slug, "/me/recovery-codes"));
  },

  /** Options to register a passkey (sudo mode); give them to `startRegistration`. */
  passkeyRegistrationOptions(slug: string): Promise<PublicKeyCredentialCreationOptionsJSON> {
    return request("POST", accountPath(slug, "/me/passkeys/options"), { body: {} });
  },

  /** Registers the authenticator's answer to the options (sudo mode). */
  registerPasskey(slug: string, name: string, response: RegistrationResponseJSON): Promise<Passkey> {
    return request("POST", accountPath(slug, "/me/passkeys"), { body: { name, response } });
  },

  listPasskeys(slug: string, signal?: AbortSignal): Promise<{ items: Passkey[] }> {
    return request("GET", accountPath(slug, "/me/passkeys"), { signal });
  },

  /** Sudo mode; `409 two_factor_required` when the business requires it and it's the last factor. */
  removePasskey(slug: string, passkeyId: string): Promise<void> {
    return request("DELETE", accountPath(slug, `/me/passkeys/${encodeURIComponent(passkeyId)}`));
  },

  /**
   * Options to prove it's you with a passkey; give them to `startAuthentication`. The browser's
   * cookies say what for: the second step of a sign-in (a pending sign-in), re-authenticating
   * (a session), or else a sign-in with a passkey alone.
   */
  passkeyOptions(slug: string, staySignedIn?: boolean): Promise<PublicKeyCredentialRequestOptionsJSON> {
    return request("POST", accountPath(slug, "/session/passkey-options"), {
      body: staySignedIn === undefined ? {} : { staySignedIn },
    });
  },

  /** Completes a sign-in (second step or passwordless) with the authenticator's answer; `401 invalid_second_factor`. */
  signInWithPasskey(slug: string, response: AuthenticationResponseJSON): Promise<SignInResult> {
    return request("POST", accountPath(slug, "/session/passkey"), { body: { response } });
  },

  /** Lost phone: every second factor of `staffId` removed (Admin Access, sudo mode; the owner's only by the owner). */
  resetStaff(slug: string, staffId: string): Promise<void> {
    return request("DELETE", staffPath(slug, staffId, "/two-factor"));
  },
};
