// Passkeys (WebAuthn) through @simplewebauthn/browser: the server's options go to the browser's
// passkey window, and its answer goes back to the server.
import {
  WebAuthnError,
  browserSupportsWebAuthn,
  startAuthentication,
  startRegistration,
  type AuthenticationResponseJSON,
} from "@simplewebauthn/browser";
import { ApiError } from "../api";
import { describeError } from "../errors";
import { twoFactorApi, type Passkey } from "./twoFactorApi";

export function passkeysSupported(): boolean {
  return browserSupportsWebAuthn();
}

/**
 * Proves it's you with a passkey. What for is told by the browser's cookies: the second step of a
 * sign-in, re-authenticating a session, or else signing in with a passkey alone.
 */
export async function passkeyAssertion(slug: string, staySignedIn?: boolean): Promise<AuthenticationResponseJSON> {
  const optionsJSON = await twoFactorApi.passkeyOptions(slug, staySignedIn);
  return startAuthentication({ optionsJSON });
}

/** Creates a passkey on this device (the browser asks how) and registers it under `name`. */
export async function addPasskey(slug: string, name: string): Promise<Passkey> {
  const optionsJSON = await twoFactorApi.passkeyRegistrationOptions(slug);
  const response = await startRegistration({ optionsJSON });
  return twoFactorApi.registerPasskey(slug, name, response);
}

/** Plain words for what went wrong with a passkey; API errors are the page's to handle first. */
export function describePasskeyError(error: unknown): string {
  if (error instanceof WebAuthnError) {
    switch (error.code) {
      case "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED":
        return "This device already holds one of your passkeys.";
      case "ERROR_INVALID_DOMAIN":
      case "ERROR_INVALID_RP_ID":
        return "Passkeys can't be used at this web address. Use another way.";
      default:
        // The person closed the browser's window, it timed out, or no passkey was chosen.
        return "No passkey was used. Try again, or use another way.";
    }
  }
  if (error instanceof ApiError) return describeError(error);
  return "No passkey was used. Try again, or use another way.";
}
