import { useEffect, useRef, useState } from "react";
import { ApiError, isAbortError, type Page } from "../api";
import { goToLogin, isSessionEnded } from "../session";

export interface PagedList<T, Q> {
  /** What has been loaded so far (`null` until the first page arrives). */
  page: Page<T> | null;
  /** The query `page` answers (`null` until the first page arrives). */
  shownQuery: Q | null;
  loading: boolean;
  /** Still waiting for the very first page. */
  firstLoad: boolean;
  /** Why the first page of the current query couldn't be loaded, else `null`. */
  error: unknown;
  loadingMore: boolean;
  /** Why the next page couldn't be loaded, else `null`. */
  moreError: unknown;
  /** Appends the next page of the query shown. */
  loadMore: () => Promise<void>;
  /** Loads the first page again (after a failure, or after adding an item). */
  reload: () => void;
  /** Puts an updated item in place of the one with its id. */
  replaceItem: (item: T) => void;
}

/**
 * A list of an account's items read a page at a time, newest query first: the first page loads
 * whenever `query` changes (a `null` query, such as invalid filters, leaves the list as it is),
 * and "Load more" appends the next. A session that has ended leads to the login page.
 */
export function usePagedList<T extends { id: string }, Q>({
  slug,
  query,
  fetchPage,
  onForbidden,
}: {
  slug: string;
  /** Plain data (compared by its JSON). */
  query: Q | null;
  /** One page of `query`, after `cursor` when given. Its identity may change between renders. */
  fetchPage: (query: Q, cursor: string | undefined, signal?: AbortSignal) => Promise<Page<T>>;
  /** When the server answers `forbidden`; without it, that is an error like any other. */
  onForbidden?: () => void;
}): PagedList<T, Q> {
  const [page, setPage] = useState<Page<T> | null>(null);
  const [shownQuery, setShownQuery] = useState<Q | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const fetchRef = useRef(fetchPage);
  const onForbiddenRef = useRef(onForbidden);

  useEffect(() => {
    fetchRef.current = fetchPage;
    onForbiddenRef.current = onForbidden;
  });

  const queryKey = JSON.stringify(query);

  useEffect(() => {
    const parsed = JSON.parse(queryKey) as Q | null;
    if (parsed === null) return;
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    setMoreError(null);
    fetchRef
      .current(parsed, undefined, controller.signal)
      .then((result) => {
        setPage(result);
        setShownQuery(parsed);
        setLoading(false);
      })
      .catch((caught: unknown) => {
        if (isAbortError(caught)) return;
        setLoading(false);
        if (isSessionEnded(caught)) goToLogin(slug);
        else if (onForbiddenRef.current && caught instanceof ApiError && caught.code === "forbidden") {
          onForbiddenRef.current();
        } else setError(caught);
      });
    return () => controller.abort();
  }, [slug, queryKey, attempt]);

  async function loadMore() {
    if (!page?.nextCursor || loadingMore || query === null || shownQuery === null) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const next = await fetchPage(shownQuery, page.nextCursor);
      setPage((previous) => {
        // Never the same item twice, should pages overlap.
        const known = new Set(previous?.items.map((item) => item.id));
        return {
          items: [...(previous?.items ?? []), ...next.items.filter((item) => !known.has(item.id))],
          nextCursor: next.nextCursor,
        };
      });
    } catch (caught) {
      if (isSessionEnded(caught)) goToLogin(slug);
      else setMoreError(caught);
    } finally {
      setLoadingMore(false);
    }
  }

  function replaceItem(updated: T) {
    setPage((previous) =>
      previous
        ? { ...previous, items: previous.items.map((item) => (item.id === updated.id ? updated : item)) }
        : previous,
    );
  }

  return {
    page,
    shownQuery,
    loading,
    firstLoad: page === null && loading,
    error,
    loadingMore,
    moreError,
    loadMore,
    reload: () => setAttempt((n) => n + 1),
    replaceItem,
  };
}
