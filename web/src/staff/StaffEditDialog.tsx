import { useCallback, useEffect, useRef, useState } from "react";
import {
  api,
  fullName,
  isAbortError,
  type Account,
  type AccountSettings,
  type Me,
  type Permission,
  type Staff,
} from "../api";
import { ConfirmDialog, Dialog } from "../components/Dialog";
import { Tabs } from "../components/Tabs";
import { usePasswordPolicy } from "../hooks/usePasswordPolicy";
import { DetailsForm } from "./DetailsForm";
import { PermissionsForm } from "./PermissionsForm";
import { StaffBadges } from "./StaffBadges";
import { canChangeDetails } from "./staffRules";

type TabKey = "details" | "permissions";

const TAB_NAMES: Record<TabKey, string> = { details: "Details", permissions: "Permissions" };

/** Leaving with unsaved changes: closing the window, or going to the other tab (whose Save is its own). */
type Leaving = { kind: "close" } | { kind: "tab"; to: TabKey };

/**
 * The edit window: Details (incl. password and reset links) and Permissions, as tabs. Closing it,
 * or switching tabs, with unsaved changes asks first: each tab saves only its own changes, so
 * "Save permissions" after typing a new email would otherwise drop the email without a word.
 */
export function StaffEditDialog({
  account,
  me,
  staff: initial,
  catalogue,
  catalogueError,
  onChanged,
  onClose,
  returnFocus,
}: {
  account: Account;
  me: Me;
  staff: Staff;
  catalogue: Permission[] | null;
  catalogueError: unknown;
  onChanged: (staff: Staff) => void;
  onClose: () => void;
  returnFocus: () => HTMLElement | null;
}) {
  const [staff, setStaff] = useState(initial);
  const [tab, setTab] = useState<TabKey>("details");
  const [settings, setSettings] = useState<AccountSettings | null>(null);
  const policy = usePasswordPolicy(account.slug);
  // What each tab has unsaved. Closing and switching tabs decide from the ref, which the forms
  // update in the commit that shows the change: an Esc pressed right after typing must not find a
  // value from before it (the state, for what is shown, may be a render behind).
  const dirtyRef = useRef<Record<TabKey, boolean>>({ details: false, permissions: false });
  const [dirty, setDirty] = useState(dirtyRef.current);
  const [leaving, setLeaving] = useState<Leaving | null>(null);
  // A new key remounts a tab's form: "Discard changes" puts it back as saved.
  const [formKeys, setFormKeys] = useState<Record<TabKey, number>>({ details: 0, permissions: 0 });
  const markDirty = useCallback((key: TabKey, value: boolean) => {
    if (dirtyRef.current[key] === value) return;
    dirtyRef.current = { ...dirtyRef.current, [key]: value };
    setDirty(dirtyRef.current);
  }, []);
  const detailsDirty = useCallback((value: boolean) => markDirty("details", value), [markDirty]);
  const permissionsDirty = useCallback((value: boolean) => markDirty("permissions", value), [markDirty]);
  const anyDirty = dirty.details || dirty.permissions;

  // Closing the browser tab or reloading loses typed changes too: the browser asks first.
  useEffect(() => {
    if (!anyDirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [anyDirty]);

  function requestClose() {
    const now = dirtyRef.current;
    if (now.details || now.permissions) setLeaving({ kind: "close" });
    else onClose();
  }

  function requestTab(to: TabKey) {
    if (to !== tab && dirtyRef.current[tab]) setLeaving({ kind: "tab", to });
    else setTab(to);
  }

  function discardAndLeave() {
    if (!leaving) return;
    setLeaving(null);
    if (leaving.kind === "close") {
      onClose();
      return;
    }
    setFormKeys((keys) => ({ ...keys, [tab]: keys[tab] + 1 }));
    markDirty(tab, false);
    setTab(leaving.to);
  }

  const unsavedTabs = (Object.keys(dirty) as TabKey[]).filter((key) => dirty[key]).map((key) => TAB_NAMES[key]);

  // Fresh settings each time the window opens: the SMS credit balance and whether SMS is on.
  useEffect(() => {
    const controller = new AbortController();
    api
      .getSettings(account.slug, controller.signal)
      .then(setSettings)
      .catch((error: unknown) => {
        if (!isAbortError(error)) setSettings(null);
      });
    return () => controller.abort();
  }, [account.slug]);

  function saved(updated: Staff) {
    setStaff(updated);
    onChanged(updated);
  }

  const editable = canChangeDetails(me, staff).ok;
  const name = fullName(staff);
  return (
    <Dialog
      size="large"
      eyebrow={staff.id === me.id ? "Staff member · you" : "Staff member"}
      title={editable ? `Edit ${name}` : name}
      description={
        <span className="dialog-subtitle">
          <span>
            Username <strong>{staff.username}</strong>
          </span>
          <StaffBadges staff={staff} withStatus />
        </span>
      }
      onClose={requestClose}
      returnFocus={returnFocus}
    >
      <Tabs<TabKey>
        label={`${name}: details and permissions`}
        selected={tab}
        onSelect={requestTab}
        tabs={[
          {
            key: "details",
            label: "Details",
            panel: (
              <DetailsForm
                key={formKeys.details}
                onDirtyChange={detailsDirty}
                account={account}
                me={me}
                staff={staff}
                policy={policy}
                settings={settings}
                onSaved={saved}
                onSettingsChanged={(changes) =>
                  setSettings((previous) => (previous ? { ...previous, ...changes } : previous))
                }
              />
            ),
          },
          {
            key: "permissions",
            label: "Permissions",
            panel: (
              <PermissionsForm
                key={formKeys.permissions}
                onDirtyChange={permissionsDirty}
                slug={account.slug}
                me={me}
                staff={staff}
                catalogue={catalogue}
                catalogueError={catalogueError}
                onSaved={saved}
              />
            ),
          },
        ]}
      />
      {leaving && (
        <ConfirmDialog
          title={leaving.kind === "close" ? "Discard unsaved changes?" : `Leave ${TAB_NAMES[tab]} without saving?`}
          confirmLabel="Discard changes"
          cancelLabel="Keep editing"
          tone="danger"
          onConfirm={discardAndLeave}
          onCancel={() => setLeaving(null)}
        >
          <p>
            {leaving.kind === "close"
              ? `Your changes in ${unsavedTabs.join(" and ")} haven't been saved. Discard them and close the window?`
              : `Your changes in ${TAB_NAMES[tab]} haven't been saved; each tab saves only its own changes. Discard them and go to ${TAB_NAMES[leaving.to]}?`}
          </p>
        </ConfirmDialog>
      )}
    </Dialog>
  );
}
