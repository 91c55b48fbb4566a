import { useEffect, useState, type FormEvent } from "react";
import { ApiError, isAbortError } from "../api";
import { ConfirmDialog } from "../components/Dialog";
import { ErrorMessage } from "../components/Messages";
import { TextField } from "../components/TextField";
import { goToLogin, isSessionEnded } from "../session";
import { useSudo, wasCancelled } from "../sudo/sudo";
import { addPasskey, describePasskeyError, passkeysSupported } from "./passkeys";
import { twoFactorApi, type Passkey } from "./twoFactorApi";

const NOT_CONFIRMED = "Nothing was changed, because you didn't confirm it's you.";
const LAST_FACTOR =
  "Your business requires two-step sign-in, and this passkey is your only second step, so it can't be removed.";
const MAX_NAME_LENGTH = 60;

/** One's passkeys on the home page: the list, adding one on this device, removing one. */
export function PasskeyList({ slug, onChanged }: { slug: string; onChanged: () => void }) {
  const [items, setItems] = useState<Passkey[] | null>(null);
  const [version, setVersion] = useState(0);
  const [name, setName] = useState("");
  const [nameError, setNameError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [removing, setRemoving] = useState<Passkey | null>(null);
  const sudo = useSudo();

  useEffect(() => {
    const controller = new AbortController();
    twoFactorApi
      .listPasskeys(slug, controller.signal)
      .then(({ items }) => setItems(items))
      .catch((caught: unknown) => {
        if (isAbortError(caught)) return;
        if (isSessionEnded(caught)) goToLogin(slug);
        else setError(describePasskeyError(caught));
      });
    return () => controller.abort();
  }, [slug, version]);

  function changed(message: string) {
    setNotice(message);
    setVersion((n) => n + 1);
    onChanged();
  }

  function failed(caught: unknown) {
    if (isSessionEnded(caught)) goToLogin(slug);
    else if (wasCancelled(caught)) setError(NOT_CONFIRMED);
    else if (caught instanceof ApiError && caught.code === "two_factor_required") setError(LAST_FACTOR);
    else setError(describePasskeyError(caught));
  }

  async function handleAdd(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (pending) return;
    const trimmed = name.trim();
    if (trimmed === "" || trimmed.length > MAX_NAME_LENGTH) {
      setNameError(`Give the passkey a name of up to ${MAX_NAME_LENGTH} characters.`);
      return;
    }
    setPending(true);
    setError(null);
    setNotice(null);
    try {
      const added = await sudo(() => addPasskey(slug, trimmed));
      setName("");
      changed(`Passkey “${added.name}” added. You can use it as your second step, or to sign in without a password.`);
    } catch (caught) {
      const field = caught instanceof ApiError ? caught.details.fields : undefined;
      if (typeof field === "object" && field !== null && "name" in field) {
        setNameError(`The name ${String(field.name)}.`);
      } else {
        failed(caught);
      }
    } finally {
      setPending(false);
    }
  }

  async function remove(passkey: Passkey) {
    setPending(true);
    setError(null);
    setNotice(null);
    try {
      await sudo(() => twoFactorApi.removePasskey(slug, passkey.id));
      changed(`Passkey “${passkey.name}” removed.`);
    } catch (caught) {
      failed(caught);
    } finally {
      setPending(false);
      setRemoving(null);
    }
  }

  return (
    <div className="passkeys">
      <h3 className="subheading">Passkeys</h3>
      <p className="field-help">
        A passkey uses your device's fingerprint, face, PIN or security key: as the second step after your password, or
        to sign in without one.
      </p>
      <div role="status">{notice && <p className="message message-notice">{notice}</p>}</div>
      {error && <ErrorMessage>{error}</ErrorMessage>}
      {items !== null && items.length > 0 && (
        <ul className="passkey-list" aria-label="Your passkeys">
          {items.map((passkey) => (
            <li key={passkey.id}>
              <span>
                <strong>{passkey.name}</strong>{" "}
                <span className="field-help">added {new Date(passkey.createdAt).toLocaleDateString()}</span>
              </span>
              <button
                type="button"
                className="button button-secondary button-small"
                onClick={() => setRemoving(passkey)}
                aria-label={`Remove passkey ${passkey.name}`}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      {passkeysSupported() ? (
        <form className="passkey-add" onSubmit={(event) => void handleAdd(event)} noValidate aria-busy={pending}>
          <TextField
            label="Name for a new passkey"
            help="So you can tell your passkeys apart, for example “Front desk laptop”."
            value={name}
            onChange={(value) => {
              setName(value);
              if (nameError) setNameError(null);
            }}
            maxLength={MAX_NAME_LENGTH}
            autoComplete="off"
            error={nameError}
          />
          <button type="submit" className="button button-secondary" aria-disabled={pending || undefined}>
            Add a passkey
          </button>
        </form>
      ) : (
        <p className="field-help">This browser can't create passkeys.</p>
      )}
      {removing && (
        <ConfirmDialog
          title={`Remove the passkey “${removing.name}”?`}
          confirmLabel="Remove passkey"
          cancelLabel="Keep it"
          tone="danger"
          pending={pending}
          onConfirm={() => void remove(removing)}
          onCancel={() => setRemoving(null)}
        >
          <p>It will no longer sign you in. You can add it again later.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
