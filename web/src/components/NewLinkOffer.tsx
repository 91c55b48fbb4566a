import { useEffect, useRef, useState } from "react";
import { api, type Account } from "../api";
import { describeError } from "../errors";
import { paths } from "../paths";
import { Link } from "../router";
import { ErrorMessage, Notice } from "./Messages";

type Offer =
  | { kind: "idle" }
  | { kind: "sending" }
  | { kind: "sent"; message: string; supportContact: string | undefined }
  | { kind: "failed"; error: string };

/**
 * "Send me a new link" for the business an unusable link came from, so nobody is asked for the
 * business address. When the page knows whose link it was (`login`), the new link is sent from
 * here; otherwise the business's Forgot Password page asks for the username or email.
 */
export function NewLinkOffer({ account, login }: { account: Account; login: string | null }) {
  const [offer, setOffer] = useState<Offer>({ kind: "idle" });
  const sentRef = useRef<HTMLDivElement>(null);
  // The button that had focus is gone once sent: start keyboard and screen-reader users at the outcome.
  useEffect(() => {
    if (offer.kind === "sent") sentRef.current?.focus();
  }, [offer.kind]);

  async function send(to: string) {
    if (offer.kind === "sending") return;
    setOffer({ kind: "sending" });
    try {
      const answer = await api.requestPasswordReset(account.slug, to);
      setOffer({ kind: "sent", message: answer.message, supportContact: answer.supportContact });
    } catch (error) {
      setOffer({ kind: "failed", error: describeError(error) });
    }
  }

  if (offer.kind === "sent") {
    return (
      <div ref={sentRef} tabIndex={-1} className="new-link-sent">
        <Notice>{offer.message}</Notice>
        {offer.supportContact && (
          <div className="message message-info">
            <p>The Business Owner's password can't be reset by email.</p>
            <p className="last">{offer.supportContact}</p>
          </div>
        )}
        <p>
          <Link to={paths.login(account.slug)}>Back to sign in</Link>
        </p>
      </div>
    );
  }

  return (
    <>
      <p>This link was for {account.name}. You can ask for a new one now.</p>
      {offer.kind === "failed" && <ErrorMessage>{offer.error}</ErrorMessage>}
      <div className="actions">
        {login === null ? (
          <Link to={paths.forgotPassword(account.slug)} className="button button-primary">
            Send me a new link
          </Link>
        ) : (
          <button
            type="button"
            className="button button-primary"
            aria-disabled={offer.kind === "sending" || undefined}
            onClick={() => void send(login)}
          >
            {offer.kind === "sending" ? "Sending…" : "Send me a new link"}
          </button>
        )}
        <Link to={paths.login(account.slug)}>Back to sign in</Link>
      </div>
    </>
  );
}
