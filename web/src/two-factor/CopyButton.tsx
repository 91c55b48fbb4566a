import { useState } from "react";

/**
 * Copies `text` to the clipboard and says so beside the button (announced politely). Where the
 * browser refuses, it says how to copy by hand.
 */
export function CopyButton({ text, label, copied }: { text: string; label: string; copied: string }) {
  const [outcome, setOutcome] = useState<"copied" | "failed" | null>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setOutcome("copied");
    } catch {
      setOutcome("failed");
    }
  }

  return (
    <>
      <button type="button" className="button button-secondary button-small" onClick={() => void copy()}>
        {label}
      </button>
      <span role="status" className="copy-status">
        {outcome === "copied" && copied}
        {outcome === "failed" && "Couldn't copy here. Select the text and copy it yourself."}
      </span>
    </>
  );
}
