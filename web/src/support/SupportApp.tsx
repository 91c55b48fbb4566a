import { Fragment, type ReactNode } from "react";
import "./support.css";
import { isSlug } from "../paths";
import { NotFoundPage } from "../pages/ProblemPages";
import { SupportAccountPage } from "./SupportAccountPage";
import { SupportCasePage } from "./SupportCasePage";
import { SupportLoginPage } from "./SupportLoginPage";
import { SupportSearchPage } from "./SupportSearchPage";
import { StartRecoveryPage } from "./StartRecoveryPage";

function decode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** The console's pages, from the path segments after /support. */
function route(segments: readonly string[]): ReactNode {
  const [first, raw, page, ...rest] = segments;
  if (first === undefined) return <SupportSearchPage />;
  if (first === "login" && raw === undefined) return <SupportLoginPage />;
  if (rest.length > 0 || raw === undefined) return <NotFoundPage />;
  const value = decode(raw);
  if (value === null) return <NotFoundPage />;

  if (first === "accounts" && isSlug(value)) {
    // `key`: each business and page starts with fresh state.
    if (page === undefined) return <SupportAccountPage key={value} slug={value} />;
    if (page === "recovery") return <StartRecoveryPage key={value} slug={value} />;
  }
  if (first === "cases" && page === undefined) return <SupportCasePage key={value} caseId={value} />;
  return <NotFoundPage />;
}

export function SupportApp({ segments }: { segments: readonly string[] }) {
  return <Fragment>{route(segments)}</Fragment>;
}
