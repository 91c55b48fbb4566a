import { useId, useRef, useState } from "react";
import { CheckboxField } from "../components/CheckboxField";
import { FieldError } from "../components/Field";
import { recoveryCodesFile } from "./codes";
import { CopyButton } from "./CopyButton";
import "./two-factor.css";

const NOT_CONFIRMED = "Tick “I've saved my recovery codes” first: they won't be shown again.";

/**
 * New recovery codes, shown this once: download or copy them, say they're saved, then continue.
 * The download is a `data:` link, so nothing of the codes leaves the browser.
 */
export function RecoveryCodes({
  codes,
  username,
  business,
  continueLabel,
  onContinue,
}: {
  codes: readonly string[];
  username: string;
  business: string;
  continueLabel: string;
  onContinue: () => void;
}) {
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const checkboxRef = useRef<HTMLInputElement>(null);
  const errorId = useId();
  const file = recoveryCodesFile(codes, { username, business });

  function handleContinue() {
    if (!saved) {
      setError(NOT_CONFIRMED);
      checkboxRef.current?.focus();
      return;
    }
    onContinue();
  }

  return (
    <div className="recovery-codes-panel">
      <p>
        If you lose your phone, each of these codes signs you in once instead of a code from the app. Save them now,
        somewhere only you can get to: a password manager, or a printed copy.{" "}
        <strong>They won't be shown again.</strong>
      </p>
      <ol className="recovery-codes" aria-label="Your recovery codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <p className="recovery-codes-actions">
        <a
          className="button button-secondary button-small"
          href={`data:text/plain;charset=utf-8,${encodeURIComponent(file)}`}
          download={`recovery-codes-${username}.txt`}
        >
          Download
        </a>{" "}
        <CopyButton text={codes.join("\n")} label="Copy" copied="Recovery codes copied." />
      </p>
      <CheckboxField
        ref={checkboxRef}
        label="I've saved my recovery codes"
        checked={saved}
        onChange={(checked) => {
          setSaved(checked);
          if (checked) setError(null);
        }}
      />
      <FieldError id={errorId}>{error}</FieldError>
      <div className="form-actions">
        <button type="button" className="button button-primary" onClick={handleContinue}>
          {continueLabel}
        </button>
      </div>
    </div>
  );
}
