import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, api, isAbortError, type PasswordCheckResult, type PasswordPolicy } from "../api";
import type { ServerCheckState } from "../password";

/**
 * Asks the server about a password while it is typed. Signed-in pages pass one that calls
 * `POST …/password-check`; pages without a session (a reset link) pass one that uses their token.
 * It must reject with an AbortError (or anything) once `signal` aborts; the answer is then ignored.
 */
export type PasswordCheck = (password: string, signal: AbortSignal) => Promise<PasswordCheckResult>;

/** The check of the signed-in person's own new password (`POST …/password-check`). */
export function useOwnPasswordCheck(slug: string): PasswordCheck {
  return useCallback<PasswordCheck>((password, signal) => api.checkPassword(slug, password, signal), [slug]);
}

/** Wait this long after the last keystroke before asking the server. */
export const PASSWORD_CHECK_DELAY_MS = 300;
/** The API takes passwords up to this many characters; longer ones are only checked on save. */
const MAX_CHECKED_LENGTH = 1024;
/** After a 429 without Retry-After, stop asking for this long. */
const DEFAULT_PAUSE_SECONDS = 60;

type Outcome = { kind: "done"; reasons: readonly string[] } | { kind: "unavailable" };

export interface PasswordCheckState {
  server: ServerCheckState;
  /** The policy from the latest answer (it can be newer than the one the page loaded). */
  policy: PasswordPolicy | null;
}

/**
 * The server check of `value`, debounced. Each new value cancels the request for the previous
 * one, and an answer is only used for the value it was asked about, so stale answers never show.
 * Failures and rate limiting are not errors for the person: the rules are applied on save anyway.
 */
export function usePasswordCheck(value: string, check: PasswordCheck | undefined): PasswordCheckState {
  const [settled, setSettled] = useState<{ value: string; outcome: Outcome } | null>(null);
  const [policy, setPolicy] = useState<PasswordPolicy | null>(null);
  const checkRef = useRef(check);
  const pausedUntil = useRef(0);
  const enabled = check !== undefined;

  // The latest function is used without restarting the debounce when a caller passes a new closure.
  useEffect(() => {
    checkRef.current = check;
  });

  useEffect(() => {
    if (!enabled || value === "") return;
    const controller = new AbortController();
    const settle = (outcome: Outcome) => {
      if (!controller.signal.aborted) setSettled({ value, outcome });
    };
    const timer = setTimeout(() => {
      const run = checkRef.current;
      if (!run || value.length > MAX_CHECKED_LENGTH || Date.now() < pausedUntil.current) {
        settle({ kind: "unavailable" });
        return;
      }
      run(value, controller.signal).then(
        (result) => {
          if (controller.signal.aborted) return;
          if (result.policy) setPolicy(result.policy);
          settle({ kind: "done", reasons: result.reasons });
        },
        (error: unknown) => {
          if (controller.signal.aborted || isAbortError(error)) return;
          if (error instanceof ApiError && error.code === "too_many_attempts") {
            pausedUntil.current = Date.now() + (error.retryAfterSeconds ?? DEFAULT_PAUSE_SECONDS) * 1000;
          }
          settle({ kind: "unavailable" });
        },
      );
    }, PASSWORD_CHECK_DELAY_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [value, enabled]);

  let server: ServerCheckState;
  if (value === "") server = { kind: "idle" };
  else if (!enabled) server = { kind: "unavailable" };
  else if (settled?.value === value) server = settled.outcome;
  else server = { kind: "checking" };
  return { server, policy };
}
