import { useDeferredValue, useEffect, useMemo, useState } from "react";
import { loadStrengthEstimator, strengthWords, type StrengthEstimator, type StrengthScore } from "../strength/strength";

const STEPS: readonly StrengthScore[] = [0, 1, 2, 3, 4];
/** The most a password gets while a rule refuses it: "Weak". */
const CAPPED_SCORE: StrengthScore = 1;
const RULES_FIRST = "It can't be used until every rule above is met.";

/**
 * Advice on how hard a password would be to guess (zxcvbn). Only advice: the server decides what
 * is accepted, and a password it accepts can be saved whatever the score. Renders nothing if
 * zxcvbn can't be loaded. While a rule of the checklist fails (`ruleFailing`), it says at most
 * "Weak": a password that can't be saved is never "Strong", whatever zxcvbn thinks of it.
 */
export function StrengthMeter({
  id,
  password,
  userInputs,
  ruleFailing = false,
}: {
  id?: string;
  password: string;
  userInputs: readonly string[];
  ruleFailing?: boolean;
}) {
  const [estimator, setEstimator] = useState<StrengthEstimator | null>(null);
  const [unavailable, setUnavailable] = useState(false);
  // Typing stays responsive: the estimate follows the value at a lower priority.
  const deferredPassword = useDeferredValue(password);
  const inputsKey = userInputs.join("\n");

  useEffect(() => {
    let active = true;
    loadStrengthEstimator().then(
      (estimate) => {
        if (active) setEstimator(() => estimate);
      },
      () => {
        if (active) setUnavailable(true);
      },
    );
    return () => {
      active = false;
    };
  }, []);

  const estimate = useMemo(
    () =>
      estimator && deferredPassword !== "" ? estimator(deferredPassword, inputsKey ? inputsKey.split("\n") : []) : null,
    [estimator, deferredPassword, inputsKey],
  );

  if (unavailable) return null;
  const estimated = password === "" ? null : (estimate?.score ?? null);
  const score = estimated !== null && ruleFailing ? (Math.min(estimated, CAPPED_SCORE) as StrengthScore) : estimated;
  const advice =
    password === ""
      ? []
      : [
          ruleFailing && estimated !== null && estimated > CAPPED_SCORE ? RULES_FIRST : null,
          estimate?.warning,
          ...(estimate?.suggestions ?? []),
        ].filter((text): text is string => typeof text === "string" && text !== "");

  return (
    <div id={id} className="strength" data-score={score ?? undefined}>
      <p className="strength-heading">
        <span className="strength-label">Strength (advice):</span>{" "}
        <span className="strength-word">{score === null ? (password === "" ? "—" : "…") : strengthWords[score]}</span>
      </p>
      <div className="strength-bar" aria-hidden="true">
        {STEPS.map((step) => (
          <span key={step} className={score !== null && step <= score ? "strength-step filled" : "strength-step"} />
        ))}
      </div>
      {advice.length > 0 && (
        <ul className="strength-advice">
          {advice.slice(0, 2).map((text) => (
            <li key={text}>{text}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
