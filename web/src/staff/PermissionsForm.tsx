import { useId, useLayoutEffect, useRef, useState, type FormEvent } from "react";
import { ApiError, api, type Me, type Permission, type Staff } from "../api";
import { CheckboxField } from "../components/CheckboxField";
import { ConfirmDialog } from "../components/Dialog";
import { ErrorMessage } from "../components/Messages";
import { describeError } from "../errors";
import { goToLogin, isSessionEnded } from "../session";
import { NOT_CONFIRMED, useSudo, wasCancelled } from "../sudo/sudo";
import { SaveFooter } from "./SaveFooter";
import { ADMIN_INCLUDES_ALL, OWNER_ALWAYS_ADMIN, OWNER_ONLY, canChangePermissions, isAdmin } from "./staffRules";

export const ADMIN_ACCESS_LABEL = "Admin Access (Full Permissions)";
const ADMIN_ACCESS_DESCRIPTION =
  "Everything in the Office Portal: every permission below, plus passwords, reset links, permissions, settings and the audit log.";

export function PermissionsForm({
  slug,
  me,
  staff,
  catalogue,
  catalogueError,
  onSaved,
  onDirtyChange,
}: {
  slug: string;
  me: Me;
  staff: Staff;
  catalogue: Permission[] | null;
  catalogueError: unknown;
  onSaved: (staff: Staff) => void;
  /** Whether a change here is not saved yet (the window asks before closing). */
  onDirtyChange?: (dirty: boolean) => void;
}) {
  const id = useId();
  const isSelf = staff.id === me.id;
  const allowed = canChangePermissions(me, staff);
  const sudo = useSudo();
  const [admin, setAdmin] = useState(isAdmin(staff));
  const [granted, setGranted] = useState<ReadonlySet<string>>(() => new Set(staff.permissions));
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [confirmingSelfRemoval, setConfirmingSelfRemoval] = useState(false);

  const hadAdmin = isAdmin(staff);
  const losesAdmin = hadAdmin && !admin;
  const losesPermission = staff.permissions.some((key) => !granted.has(key));
  const loses = losesAdmin || losesPermission;
  const changed =
    admin !== hadAdmin ||
    granted.size !== staff.permissions.length ||
    staff.permissions.some((key) => !granted.has(key));
  // In the commit that shows the change (see DetailsForm): closing right after a click asks first.
  useLayoutEffect(() => onDirtyChange?.(changed), [changed, onDirtyChange]);
  const resultRef = useRef<HTMLDivElement>(null);

  /** What saving did, with focus on it (see SaveFooter). */
  function showResult(message: string) {
    setSaved(message);
    setTimeout(() => resultRef.current?.focus(), 0);
  }

  function toggle(key: string, on: boolean) {
    setGranted((previous) => {
      const next = new Set(previous);
      if (on) next.add(key);
      else next.delete(key);
      return next;
    });
    setSaved(null);
    setError(null);
  }

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void save(false);
  }

  async function save(selfRemovalConfirmed: boolean) {
    if (pending || !allowed.ok || staff.isOwner) return;
    setSaved(null);
    if (!changed) {
      showResult("There are no changes to save.");
      return;
    }
    if (isSelf && losesAdmin && !selfRemovalConfirmed) {
      setConfirmingSelfRemoval(true);
      return;
    }
    setConfirmingSelfRemoval(false);
    setPending(true);
    setError(null);
    try {
      // Granting may first ask "Confirm it's you".
      const updated = await sudo(() =>
        api.setStaffPermissions(slug, staff.id, {
          adminFullAccess: admin,
          permissions: [...granted].sort(),
        }),
      );
      if (isSelf && loses) {
        goToLogin(slug, "accessChanged");
        return;
      }
      setPending(false);
      setAdmin(isAdmin(updated));
      setGranted(new Set(updated.permissions));
      onSaved(updated);
      // Any change of rights ends the person's sessions: none from before it carries other rights.
      showResult(
        isSelf
          ? "Permissions saved."
          : `Permissions saved. ${updated.firstName} was signed out and will have the new permissions at the next sign-in.`,
      );
    } catch (caught) {
      setPending(false);
      if (isSessionEnded(caught)) {
        goToLogin(slug);
        return;
      }
      if (wasCancelled(caught)) {
        showResult(NOT_CONFIRMED);
      } else if (caught instanceof ApiError && caught.code === "owner_protected") {
        setError(staff.isOwner && me.isOwner ? OWNER_ALWAYS_ADMIN : OWNER_ONLY);
      } else {
        setError(describeError(caught));
      }
    }
  }

  const disabled = !allowed.ok;
  // The owner's Admin Access is fixed, and it includes everything else: nothing to save.
  const savable = allowed.ok && !staff.isOwner;
  return (
    <>
      <form className="staff-form" onSubmit={handleSubmit} noValidate aria-busy={pending}>
        {!allowed.ok && <p className="message message-info">{allowed.reason}</p>}
        {error && <ErrorMessage>{error}</ErrorMessage>}
        <div className="permission-admin">
          <CheckboxField
            label={ADMIN_ACCESS_LABEL}
            checked={admin}
            disabled={disabled || staff.isOwner}
            onChange={(checked) => {
              setAdmin(checked);
              setSaved(null);
              setError(null);
            }}
            help={
              <>
                {ADMIN_ACCESS_DESCRIPTION}
                {staff.isOwner && <span className="reason-line">{OWNER_ALWAYS_ADMIN}</span>}
              </>
            }
          />
        </div>

        <fieldset className="form-section permission-list" aria-describedby={admin ? `${id}-includes` : undefined}>
          <legend className="form-section-title">Permissions</legend>
          {admin && (
            <p id={`${id}-includes`} className="field-help">
              {ADMIN_INCLUDES_ALL}
            </p>
          )}
          {catalogue === null && !catalogueError && <p className="loading">Loading permissions…</p>}
          {catalogueError !== null && catalogueError !== undefined && (
            <ErrorMessage>The list of permissions couldn't be loaded. {describeError(catalogueError)}</ErrorMessage>
          )}
          {catalogue?.map((permission) => (
            <CheckboxField
              key={permission.key}
              label={permission.label}
              help={permission.description}
              checked={admin || granted.has(permission.key)}
              disabled={disabled || admin}
              onChange={(checked) => toggle(permission.key, checked)}
            />
          ))}
        </fieldset>

        {allowed.ok && changed && losesAdmin && isSelf && (
          <p className="message message-warning">
            You're removing your own Admin Access. You'll be signed out as soon as you save, and only someone else with
            Admin Access can give it back.
          </p>
        )}
        {allowed.ok && changed && !isSelf && (
          <p className="message message-warning">
            Saving signs {staff.firstName} out everywhere, so that the new permissions apply from the next sign-in. They
            can sign in again straight away.
          </p>
        )}

        {savable && <SaveFooter label="Save permissions" pending={pending} saved={saved} resultRef={resultRef} />}
      </form>

      {confirmingSelfRemoval && (
        <ConfirmDialog
          title="Remove your own Admin Access?"
          confirmLabel="Remove my Admin Access"
          cancelLabel="Keep Admin Access"
          tone="danger"
          onConfirm={() => void save(true)}
          onCancel={() => setConfirmingSelfRemoval(false)}
        >
          <p>
            You'll be signed out straight away. Afterwards you can't change passwords, permissions or settings, and only
            someone else with Admin Access can give it back.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
