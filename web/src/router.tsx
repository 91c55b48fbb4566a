// A tiny router on top of the History API: a location store that React reads with
// useSyncExternalStore, `navigate`, `<Link>` and `<Redirect>`. Route matching lives in App.tsx.
import { useEffect, useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent, type ReactNode } from "react";

export interface RouterLocation {
  pathname: string;
  search: string;
  /** Whatever was passed as `state` to navigate(); survives reloads and back/forward. */
  state: unknown;
  /** 0 on the first page load, then counts client-side navigations (used for focus handling). */
  navigationCount: number;
}

export interface NavigateOptions {
  replace?: boolean;
  state?: unknown;
}

const listeners = new Set<() => void>();
let current = readLocation(0);

function readLocation(navigationCount: number): RouterLocation {
  const { pathname, search } = window.location;
  return {
    pathname,
    search,
    state: window.history.state as unknown,
    navigationCount,
  };
}

function update(): void {
  current = readLocation(current.navigationCount + 1);
  for (const listener of listeners) listener();
}

window.addEventListener("popstate", update);

export function navigate(to: string, options: NavigateOptions = {}): void {
  const state = options.state ?? null;
  if (options.replace) window.history.replaceState(state, "", to);
  else window.history.pushState(state, "", to);
  window.scrollTo(0, 0);
  update();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useLocation(): RouterLocation {
  return useSyncExternalStore(subscribe, () => current);
}

function isPlainLeftClick(event: MouseEvent<HTMLAnchorElement>): boolean {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
}

interface LinkProps extends Omit<AnchorHTMLAttributes<HTMLAnchorElement>, "href"> {
  to: string;
  /** History state for the new entry (client-side navigation only), e.g. a login notice. */
  state?: unknown;
  children: ReactNode;
}

/** An ordinary link (open in new tab etc. still work) that navigates client-side on a plain click. */
export function Link({ to, state, onClick, target, ...rest }: LinkProps) {
  function handleClick(event: MouseEvent<HTMLAnchorElement>) {
    onClick?.(event);
    if (event.defaultPrevented || !isPlainLeftClick(event) || (target && target !== "_self")) {
      return;
    }
    event.preventDefault();
    navigate(to, { state });
  }
  return <a href={to} target={target} onClick={handleClick} {...rest} />;
}

/** Replaces the current entry with `to` once rendered; renders nothing. */
export function Redirect({ to, state }: { to: string; state?: unknown }) {
  useEffect(() => {
    navigate(to, { replace: true, state });
  }, [to, state]);
  return null;
}
