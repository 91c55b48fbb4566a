import { useEffect, useState } from "react";
import { api, hasAdminAccess, isAbortError, type Account, type Me, type SecurityOverview } from "../api";
import { ErrorMessage } from "../components/Messages";
import { PageHeading } from "../components/PageHeading";
import { SignedInPage } from "../components/SignedInPage";
import { describeError } from "../errors";
import { useDocumentTitle } from "../hooks/useDocumentTitle";
import "./security-overview.css";

const ADMIN_ONLY = "Only staff with Admin Access (Full Permissions) can see the security overview.";

/** /a/{account}/security: the business's sign-in security at a glance (Admin Access). */
export function SecurityOverviewPage({ slug }: { slug: string }) {
  return <SignedInPage slug={slug}>{(account, me) => <Overview account={account} me={me} />}</SignedInPage>;
}

type Load = { kind: "loading" } | { kind: "ready"; overview: SecurityOverview } | { kind: "failed"; error: unknown };

function Overview({ account, me }: { account: Account; me: Me }) {
  useDocumentTitle(`Security · ${account.name}`);
  const [load, setLoad] = useState<Load>({ kind: "loading" });
  const allowed = hasAdminAccess(me);
  useEffect(() => {
    if (!allowed) return undefined;
    const controller = new AbortController();
    api
      .getSecurityOverview(account.slug, controller.signal)
      .then((overview) => setLoad({ kind: "ready", overview }))
      .catch((error: unknown) => {
        if (!isAbortError(error)) setLoad({ kind: "failed", error });
      });
    return () => controller.abort();
  }, [account.slug, allowed]);

  if (!allowed) {
    return (
      <div className="narrow">
        <PageHeading>Security</PageHeading>
        <p className="message message-info">{ADMIN_ONLY}</p>
      </div>
    );
  }
  if (load.kind === "loading") return <p aria-busy="true">Loading the security overview…</p>;
  if (load.kind === "failed") return <ErrorMessage>{describeError(load.error)}</ErrorMessage>;
  const { overview } = load;
  const { totals } = overview;
  return (
    <div className="security-overview">
      <PageHeading>Security</PageHeading>
      <ul className="security-tiles" aria-label="At a glance">
        <Tile value={`${totals.withTwoFactor} of ${totals.active}`} label="use two-step sign-in" />
        <Tile value={String(totals.adminAccess)} label="have Admin Access" />
        <Tile value={String(totals.mustChangePassword)} label="must change their password" />
        <Tile value={String(totals.neverSignedIn)} label="never signed in" />
      </ul>
      <p>
        {overview.requireTwoFactor
          ? "This business requires two-step sign-in: everyone sets it up at their next sign-in."
          : "Two-step sign-in is optional here. You can require it in Settings."}
      </p>
      <FailedSignInsChart days={overview.failedSignInsPerDay} />
      <h2>People</h2>
      <div className="table-wrap">
        <table className="data-table">
          <caption className="visually-hidden">Staff and their sign-in security</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Access</th>
              <th scope="col">Two-step sign-in</th>
              <th scope="col">Password</th>
              <th scope="col">Last signed in</th>
            </tr>
          </thead>
          <tbody>
            {overview.people.map((person) => (
              <tr key={person.id}>
                <th scope="row">
                  {person.name} <span className="muted">({person.username})</span>
                </th>
                <td>{person.isOwner ? "Business Owner" : person.adminFullAccess ? "Admin Access" : "—"}</td>
                <td>{twoFactorWords(person.twoFactor)}</td>
                <td>{!person.passwordSet ? "Not set" : person.mustChangePassword ? "Must change it" : "Set"}</td>
                <td>{person.lastSignedInAt ? new Date(person.lastSignedInAt).toLocaleString() : "Never"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function Tile({ value, label }: { value: string; label: string }) {
  return (
    <li className="security-tile">
      <span className="security-tile-value">{value}</span> {label}
    </li>
  );
}

function twoFactorWords(factors: SecurityOverview["people"][number]["twoFactor"]): string {
  const kinds = [
    ...(factors.totp ? ["authenticator app"] : []),
    ...(factors.passkeys > 0 ? [factors.passkeys === 1 ? "1 passkey" : `${factors.passkeys} passkeys`] : []),
  ];
  return kinds.length === 0 ? "None" : kinds.join(" and ");
}

const CHART_WIDTH = 600;
const CHART_HEIGHT = 120;

/** Failed sign-ins per day for 30 days, as bars; the numbers are in the table beneath for screen readers. */
function FailedSignInsChart({ days }: { days: SecurityOverview["failedSignInsPerDay"] }) {
  const highest = Math.max(1, ...days.map((day) => day.count));
  const total = days.reduce((sum, day) => sum + day.count, 0);
  const barWidth = CHART_WIDTH / days.length;
  return (
    <figure className="security-chart">
      <figcaption>
        <h2>Failed sign-ins, last 30 days</h2>
        <p>
          {total === 0
            ? "No failed sign-ins in the last 30 days."
            : `${total} failed sign-in${total === 1 ? "" : "s"}; the busiest day had ${highest}.`}
        </p>
      </figcaption>
      <svg
        viewBox={`0 0 ${CHART_WIDTH} ${CHART_HEIGHT + 20}`}
        role="img"
        aria-label={`Bar chart of failed sign-ins per day; ${total} in all`}
        className="security-chart-svg"
      >
        {days.map((day, i) => {
          const height = Math.round((day.count / highest) * CHART_HEIGHT);
          return (
            <rect
              key={day.date}
              x={i * barWidth + 2}
              y={CHART_HEIGHT - height}
              width={barWidth - 4}
              height={Math.max(height, day.count > 0 ? 2 : 0)}
              className="security-chart-bar"
            >
              <title>{`${day.date}: ${day.count}`}</title>
            </rect>
          );
        })}
        <line x1={0} y1={CHART_HEIGHT} x2={CHART_WIDTH} y2={CHART_HEIGHT} className="security-chart-axis" />
        <text x={0} y={CHART_HEIGHT + 16} className="security-chart-label">
          {days[0]?.date}
        </text>
        <text x={CHART_WIDTH} y={CHART_HEIGHT + 16} textAnchor="end" className="security-chart-label">
          {days.at(-1)?.date}
        </text>
      </svg>
      <details>
        <summary>Show the numbers</summary>
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Failed sign-ins</th>
            </tr>
          </thead>
          <tbody>
            {days.map((day) => (
              <tr key={day.date}>
                <td>{day.date}</td>
                <td>{day.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
