export {
  OWNER_USERNAME,
  fullName,
  normalizeLogin,
  parsePermissions,
  toStaffView,
  type StaffPrincipal,
  type StaffView,
} from "./staff.js";
export {
  findStaffById,
  findStaffByLogin,
  listAdminAccessMembers,
  lockStaffById,
  insertStaff,
  rebuildSearchIndex,
  updateStaff,
} from "./staff.repository.js";
export type { StaffRow } from "./staff.table.js";
export {
  addStaffMemberIn,
  cleanNewStaffDetails,
  requirePermissionsChange,
  setStaffPermissionsIn,
  withUniqueFields,
  type PermissionsInput,
  viewWithTwoFactor,
  type Actor,
  type ManageStaffDeps,
} from "./manage-staff.js";
