import { useEffect, useRef, type ReactNode } from "react";
import { useLocation } from "../router";

/**
 * The page's <h1>. After a client-side navigation it takes focus, so keyboard and screen-reader
 * users start at the new page instead of wherever the old one left them. `focusOnMount` does the
 * same when a screen replaces another one without navigating (e.g. a form by its outcome).
 */
export function PageHeading({ children, focusOnMount = false }: { children: ReactNode; focusOnMount?: boolean }) {
  const ref = useRef<HTMLHeadingElement>(null);
  const { navigationCount } = useLocation();

  useEffect(() => {
    if (navigationCount > 0 || focusOnMount) ref.current?.focus();
  }, [navigationCount, focusOnMount]);

  return (
    <h1 ref={ref} tabIndex={-1} className="page-heading">
      {children}
    </h1>
  );
}
