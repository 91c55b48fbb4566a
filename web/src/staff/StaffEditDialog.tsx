import { useEffect, useState } from "react";
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
import { Dialog } from "../components/Dialog";
import { Tabs } from "../components/Tabs";
import { usePasswordPolicy } from "../hooks/usePasswordPolicy";
import { DetailsForm } from "./DetailsForm";
import { PermissionsForm } from "./PermissionsForm";
import { StaffBadges } from "./StaffBadges";
import { canChangeDetails } from "./staffRules";

type TabKey = "details" | "permissions";

/** The edit window: Details (incl. password and reset links) and Permissions, as tabs. */
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
      onClose={onClose}
      returnFocus={returnFocus}
    >
      <Tabs<TabKey>
        label={`${name}: details and permissions`}
        selected={tab}
        onSelect={setTab}
        tabs={[
          {
            key: "details",
            label: "Details",
            panel: (
              <DetailsForm
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
    </Dialog>
  );
}
