import { useEffect, useRef, useState } from "react";
import { CheckIcon, CopyIcon, CrossIcon, DashIcon } from "../components/Icons";
import { checkLabels, statusLabel } from "./caseText";
import type { CheckResult } from "./supportApi";

/** A case's status as a badge: the word carries the meaning, the colour only repeats it. */
export function CaseStatusBadge({ status, expired = false }: { status: string; expired?: boolean }) {
  if (expired) return <span className="badge badge-case-expired">Expired</span>;
  return <span className={`badge badge-case-${status}`}>{statusLabel(status)}</span>;
}

/** One verification answer's result: icon and words. */
export function CheckResultMark({ result }: { result: CheckResult }) {
  return (
    <span className={`check-result check-${result}`}>
      <span className="check-icon" aria-hidden="true">
        {result === "match" ? <CheckIcon /> : result === "mismatch" ? <CrossIcon /> : <DashIcon />}
      </span>
      <span className="check-text">{checkLabels[result]}</span>
    </span>
  );
}

/**
 * Copies `text` to the clipboard and says so. When the browser refuses (no clipboard access),
 * it asks the agent to copy by hand; the text is always on the page next to the button.
 */
export function CopyButton({ text, label, what }: { text: string; label: string; what: string }) {
  const [outcome, setOutcome] = useState<"idle" | "copied" | "failed">("idle");
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => () => clearTimeout(timer.current), []);

  async function copy() {
    clearTimeout(timer.current);
    try {
      if (!navigator.clipboard) throw new Error("no clipboard");
      await navigator.clipboard.writeText(text);
      setOutcome("copied");
      timer.current = setTimeout(() => setOutcome("idle"), 4000);
    } catch {
      setOutcome("failed");
    }
  }

  return (
    <span className="copy">
      <button type="button" className="button button-secondary button-small copy-button" onClick={() => void copy()}>
        <CopyIcon />
        <span>{outcome === "copied" ? "Copied" : label}</span>
      </button>
      <span role="status" className={outcome === "failed" ? "copy-status copy-failed" : "visually-hidden"}>
        {outcome === "copied" && `${what} copied to the clipboard.`}
        {outcome === "failed" && `Couldn't copy. Select the ${what.toLowerCase()} and copy it by hand.`}
      </span>
    </span>
  );
}

/** A clock for "expires in …" and for noticing expiry while the page stays open (no requests). */
export function useNow(intervalMs = 15_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
