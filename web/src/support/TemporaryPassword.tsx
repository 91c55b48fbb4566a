import { useEffect, useRef } from "react";
import { WarningIcon } from "../components/Icons";
import { CopyButton } from "./SupportBits";

/** How to say one character over the phone: "capital K", "small p", "7". */
function spoken(character: string): string {
  if (/[A-Z]/.test(character)) return `capital ${character}`;
  if (/[a-z]/.test(character)) return `small ${character}`;
  return character;
}

/**
 * The temporary password, shown once: large, monospaced, copyable, spelled out for reading over
 * the phone, with the rules for handing it over. It lives only in this component's props.
 */
export function TemporaryPasswordResult({ password, callerName }: { password: string; callerName: string }) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  const groups = password.split("-");

  return (
    <section className="panel next-step temp-password-panel" aria-labelledby="temp-password-heading">
      <h2 id="temp-password-heading" ref={headingRef} tabIndex={-1}>
        Temporary password
      </h2>
      <div className="temp-password-box">
        <p className="temp-password" data-temporary-password="">
          {password}
        </p>
        <CopyButton text={password} label="Copy" what="Temporary password" />
      </div>
      <div className="message message-warning temp-password-warning">
        <span className="warning-icon" aria-hidden="true">
          <WarningIcon />
        </span>
        <div>
          <p>
            <strong>Read it now to the verified caller, {callerName}. It won't be shown again.</strong>
          </p>
          <p>
            The owner must change it the first time they sign in. Don't send it by email, text or chat, and don't write
            it down.
          </p>
        </div>
      </div>
      <div className="spell-out">
        <h3 className="subheading">Spelled out</h3>
        <ol className="spell-out-groups">
          {groups.map((group, index) => (
            <li key={`${index}-${group}`}>
              <span className="spell-out-group">{group}</span>
              <span className="spell-out-words">{[...group].map(spoken).join(", ")}</span>
            </li>
          ))}
        </ol>
        <p className="field-help">Say “dash” between the groups.</p>
      </div>
    </section>
  );
}
