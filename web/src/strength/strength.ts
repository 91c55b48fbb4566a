// The advisory strength estimate. zxcvbn and its dictionaries are large, so they live in their own
// chunk (./zxcvbn.ts), loaded on first use; this module only knows how to fetch it.

export type StrengthScore = 0 | 1 | 2 | 3 | 4;

export interface StrengthEstimate {
  score: StrengthScore;
  warning: string | null;
  suggestions: string[];
}

export type StrengthEstimator = (password: string, userInputs: readonly string[]) => StrengthEstimate;

export const strengthWords: Readonly<Record<StrengthScore, string>> = {
  0: "Very weak",
  1: "Weak",
  2: "Fair",
  3: "Strong",
  4: "Very strong",
};

let loading: Promise<StrengthEstimator> | null = null;

/** Loads zxcvbn once; a failed load (e.g. offline) may be retried later. */
export function loadStrengthEstimator(): Promise<StrengthEstimator> {
  loading ??= import("./zxcvbn").then(
    (module) => module.estimateStrength,
    (error: unknown) => {
      loading = null;
      throw error;
    },
  );
  return loading;
}
