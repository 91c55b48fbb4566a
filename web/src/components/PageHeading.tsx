import { useEffect, useRef, type ReactNode } from "react";
import { useLocation } from "../router";

/**
 * The page's <h1>. After a client-side navigation it takes focus, so keyboard and screen-reader
 * users start at the new page instead of wherever the old one left them.
 */
export function PageHeading({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  const { navigationCount } = useLocation();

  useEffect(() => {
    if (navigationCount > 0) ref.current?.focus();
  }, [navigationCount]);

  return (
    <h1 ref={ref} tabIndex={-1} className="page-heading">
      {children}
    </h1>
  );
}
