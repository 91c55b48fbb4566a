// The pieces the paged tables share (staff, audit log, SMS credit history): see usePagedList.
import type { ReactNode } from "react";
import { describeError } from "../errors";
import type { PagedList } from "../hooks/usePagedList";
import { ErrorMessage } from "./Messages";

type ListState = Pick<
  PagedList<unknown, unknown>,
  "page" | "firstLoad" | "error" | "loadingMore" | "moreError" | "loadMore"
>;

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });

/** Why the list couldn't be loaded (`children`), with "Try again". */
export function LoadError({ retry, children }: { retry: () => void; children: ReactNode }) {
  return (
    <div className="load-error">
      <ErrorMessage>{children}</ErrorMessage>
      <button type="button" className="button button-secondary" onClick={retry}>
        Try again
      </button>
    </div>
  );
}

/** "Load more …" under the table while there is a next page; `failed` starts its error. */
export function LoadMore({ list, label, failed }: { list: ListState; label: string; failed: string }) {
  if (!list.page?.nextCursor) return null;
  return (
    <div className="load-more">
      {list.moreError !== null && (
        <ErrorMessage>
          {failed} {describeError(list.moreError)}
        </ErrorMessage>
      )}
      <button
        type="button"
        className="button button-secondary"
        onClick={() => void list.loadMore()}
        disabled={list.loadingMore}
      >
        {list.loadingMore ? "Loading…" : label}
      </button>
    </div>
  );
}

/** A table's single row while its first page loads (`loading`), or when it has nothing (`empty`). */
export function PlaceholderRows({
  list,
  columns,
  loading,
  empty,
}: {
  list: ListState;
  columns: number;
  loading: string;
  empty: ReactNode;
}) {
  const row = (content: ReactNode) => (
    <tr className="placeholder-row">
      <td colSpan={columns}>{content}</td>
    </tr>
  );
  if (list.firstLoad) return row(loading);
  if ((list.page?.items ?? []).length === 0 && list.error === null) return row(empty);
  return null;
}

/** The date and time of `at` (ISO), or `at` as it is when it isn't a date. */
export function WhenCell({ at, clockFormat }: { at: string; clockFormat: Intl.DateTimeFormat }) {
  const date = new Date(at);
  return (
    <td className="cell-when">
      {Number.isNaN(date.getTime()) ? (
        at
      ) : (
        <time dateTime={at} title={date.toString()}>
          <span className="when-date">{dateFormat.format(date)}</span>{" "}
          <span className="when-time">{clockFormat.format(date)}</span>
        </time>
      )}
    </td>
  );
}

/** A labelled control in a table's toolbar (search, filters). */
export function ToolbarField({
  id,
  label,
  className,
  children,
}: {
  /** The control's id, which it must have. */
  id: string;
  label: string;
  /** Besides "field". */
  className?: string;
  children: ReactNode;
}) {
  return (
    <div className={className ? `field ${className}` : "field"}>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {children}
    </div>
  );
}
