// The token of a link sent by email (`/unlock#token=…`, `/verify-email#token=…`; the reset page
// keeps its own, with the business, in resetToken.ts). It arrives in the fragment, so it never
// reaches a server log or a Referer; it is taken out of the address bar at once (so it doesn't
// linger in history, screenshots or a shared screen) and kept only in memory and in this tab's
// sessionStorage, so that a reload still works. It is forgotten once the link has been used.
import { useLayoutEffect, useState } from "react";

/** The token in a fragment such as `#token=abc`, or null. */
export function tokenFromHash(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, "")).get("token")?.trim();
  return token ? token : null;
}

export interface LinkTokenStore {
  /** The token the page should use when it opens: a fresh link wins over one from before a reload. */
  initial(): string | null;
  /** Moves a token from the address bar into storage; null when the address holds none. */
  take(): string | null;
  forget(): void;
}

/** One kind of link's token, under its own sessionStorage key. */
export function linkTokenStore(storageKey: string): LinkTokenStore {
  const read = (): string | null => {
    try {
      return window.sessionStorage.getItem(storageKey);
    } catch {
      return null; // storage disabled: the link then works until the page is left
    }
  };
  const store = (token: string) => {
    try {
      window.sessionStorage.setItem(storageKey, token);
    } catch {
      // Storage unavailable (private mode, quota): the token stays in memory only.
    }
  };
  return {
    initial: () => tokenFromHash(window.location.hash) ?? read(),
    take() {
      const { hash, pathname, search } = window.location;
      if (!/token=/.test(hash)) return null;
      const token = tokenFromHash(hash);
      window.history.replaceState(window.history.state, "", `${pathname}${search}`);
      if (token !== null) store(token);
      return token;
    },
    forget() {
      try {
        window.sessionStorage.removeItem(storageKey);
      } catch {
        // nothing stored
      }
    },
  };
}

/** The page's token, taken from the address before the first paint and again if another link is pasted. */
export function useLinkToken(store: LinkTokenStore): string | null {
  const [token, setToken] = useState(store.initial);
  useLayoutEffect(() => {
    const take = () => {
      const fresh = store.take();
      if (fresh !== null) setToken(fresh);
    };
    take();
    window.addEventListener("hashchange", take);
    return () => window.removeEventListener("hashchange", take);
  }, [store]);
  return token;
}
