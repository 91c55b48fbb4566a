export { OWNER_USERNAME, fullName, normalizeLogin, parsePermissions, toStaffView, type StaffView } from "./staff.js";
export {
  findStaffById,
  findStaffByLogin,
  listAdminAccessMembers,
  lockStaffById,
  insertStaff,
  rebuildSearchIndex,
  updateStaff,
  type NewStaff,
} from "./staff.repository.js";
export type { StaffPrincipal, StaffRow } from "./staff.table.js";
export {
  addStaffMemberIn,
  cleanNewStaffDetails,
  createStaffMember,
  requirePermissionsChange,
  setStaffPermissionsIn,
  withUniqueFields,
  type NewStaffDetails,
  type PermissionsInput,
  getStaffMember,
  updateStaffDetails,
  updateStaffPermissions,
  viewWithTwoFactor,
  type Actor,
  type ManageStaffDeps,
  type StaffDetailsPatch,
} from "./manage-staff.js";
export { listStaff, type Page, type StaffListQuery } from "./staff-directory.js";
