// The reset link's token: it arrives in the fragment (`/reset-password#token=…`), is taken out of
// the address bar at once (so it doesn't linger in history, screenshots or a shared screen), and
// is kept only in memory and in this tab's sessionStorage, so that a reload still works. It is
// forgotten when the reset succeeds or the link turns out to be unusable.

import { tokenFromHash } from "./linkToken";

const STORAGE_KEY = "staffgate.passwordReset";

export interface StoredReset {
  token: string;
  /** The business the link belongs to, once a lookup has said so (for "request a new link"). */
  slug?: string;
}

export function readStoredReset(): StoredReset | null {
  try {
    const raw = window.sessionStorage.getItem(STORAGE_KEY);
    if (raw === null) return null;
    const value: unknown = JSON.parse(raw);
    if (typeof value !== "object" || value === null || !("token" in value) || typeof value.token !== "string") {
      return null;
    }
    const slug = "slug" in value && typeof value.slug === "string" ? value.slug : undefined;
    return slug === undefined ? { token: value.token } : { token: value.token, slug };
  } catch {
    return null; // storage disabled or garbled: the link then works until the page is left
  }
}

export function storeReset(reset: StoredReset): void {
  try {
    window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(reset));
  } catch {
    // Storage unavailable (private mode, quota): the token stays in memory only.
  }
}

export function forgetReset(): void {
  try {
    window.sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // nothing stored
  }
}

/** The token the page should use when it opens: a fresh link wins over one from before a reload. */
export function initialResetToken(): string | null {
  return tokenFromHash(window.location.hash) ?? readStoredReset()?.token ?? null;
}

/**
 * Moves a token from the address bar into storage and removes the fragment from the current
 * history entry (keeping its state). Returns the token, or null when the address holds none.
 */
export function takeTokenFromAddress(): string | null {
  const { hash, pathname, search } = window.location;
  if (!/token=/.test(hash)) return null;
  const token = tokenFromHash(hash);
  window.history.replaceState(window.history.state, "", `${pathname}${search}`);
  if (token !== null && readStoredReset()?.token !== token) storeReset({ token });
  return token;
}
