import type { Ref } from "react";
import { TextField } from "../components/TextField";
import { CODE_MISSING, RECOVERY_CODE_MISSING, totpCodeFrom } from "./codes";
import type { SecondFactorProof } from "./twoFactorApi";
import "./two-factor.css";

/** Which second step is typed: a code from the authenticator app, or a recovery code. */
export type CodeKind = "totpCode" | "recoveryCode";

/** The input for a second step, with what phones and password managers need to help fill it. */
export function SecondFactorField({
  kind,
  value,
  onChange,
  error,
  help,
  ref,
}: {
  kind: CodeKind;
  value: string;
  onChange: (value: string) => void;
  error?: string | null;
  help?: string;
  ref?: Ref<HTMLInputElement>;
}) {
  return kind === "totpCode" ? (
    <TextField
      ref={ref}
      label="6-digit code"
      name="totpCode"
      help={help}
      inputMode="numeric"
      autoComplete="one-time-code"
      pattern="[0-9 ]*"
      maxLength={9}
      className="input-code"
      spellCheck={false}
      value={value}
      onChange={onChange}
      error={error}
    />
  ) : (
    <TextField
      ref={ref}
      label="Recovery code"
      name="recoveryCode"
      help={help ?? "One of the codes you saved when you set up two-step sign-in. Each code works once."}
      autoComplete="off"
      autoCapitalize="characters"
      autoCorrect="off"
      spellCheck={false}
      maxLength={64}
      className="input-code"
      value={value}
      onChange={onChange}
      error={error}
    />
  );
}

/** What to send for what was typed, or what to say when it can't be right. */
export function proofOf(kind: CodeKind, typed: string): { proof: SecondFactorProof } | { problem: string } {
  if (kind === "totpCode") {
    const code = totpCodeFrom(typed);
    return code === null ? { problem: CODE_MISSING } : { proof: { totpCode: code } };
  }
  const code = typed.trim();
  return code === "" ? { problem: RECOVERY_CODE_MISSING } : { proof: { recoveryCode: code } };
}
