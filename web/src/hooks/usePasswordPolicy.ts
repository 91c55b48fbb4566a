import { useEffect, useState } from "react";
import { api, type PasswordPolicy } from "../api";

/**
 * The account's password policy, or null until it has loaded. A failure is not fatal: the
 * server applies the policy anyway and explains any rejection, so the hint is simply left out.
 */
export function usePasswordPolicy(slug: string): PasswordPolicy | null {
  const [policy, setPolicy] = useState<PasswordPolicy | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    api
      .getPasswordPolicy(slug, controller.signal)
      .then(setPolicy)
      .catch(() => {});
    return () => controller.abort();
  }, [slug]);

  return policy;
}
