// Where a sign-in continues when an app sent the person here through Staffgate's identity
// provider: `?continue=/oidc/interaction/{uid}` on the landing or sign-in page. Only that exact
// same-origin path is accepted (never a full address: no open redirect), and it is kept in this
// tab's sessionStorage, so that it survives the second step and a forced password change, which
// all end on the home page. The server checks the sign-in again when the browser gets there.

const KEY = "staffgate.continue";
const CONTINUE_PATH = /^\/oidc\/interaction\/[A-Za-z0-9_-]+$/;
/** The provider's interaction lasts 15 minutes; an address older than that leads nowhere. */
const LIFETIME_MS = 15 * 60_000;

interface Stored {
  readonly path: string;
  readonly at: number;
}

function storage(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
}

/** Remembers `?continue=` from the current address, when it is one we accept. */
export function rememberContinue(search: string = window.location.search): void {
  const path = new URLSearchParams(search).get("continue");
  if (path !== null && CONTINUE_PATH.test(path)) {
    storage()?.setItem(KEY, JSON.stringify({ path, at: Date.now() } satisfies Stored));
  }
}

/** The remembered address, if one is waiting and still fresh. */
export function pendingContinue(): string | null {
  const raw = storage()?.getItem(KEY);
  if (!raw) return null;
  try {
    const stored = JSON.parse(raw) as Stored;
    if (CONTINUE_PATH.test(stored.path) && Date.now() - stored.at < LIFETIME_MS) return stored.path;
  } catch {
    // not ours: forget it
  }
  storage()?.removeItem(KEY);
  return null;
}

/**
 * Goes on to the waiting address (a server page, so a full navigation), forgetting it first so a
 * later visit to the home page stays there. Returns whether it did.
 */
export function continueIfWaiting(): boolean {
  const path = pendingContinue();
  if (path === null) return false;
  storage()?.removeItem(KEY);
  window.location.assign(path);
  return true;
}

// Captured as the app starts, whatever page the address opens: the landing page too, where a
// person names their business before its sign-in page.
rememberContinue();
