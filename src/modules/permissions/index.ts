export {
  requireAdminAccess,
  requireOwnerProtection,
  requireRecentAuthentication,
  requireStaffEdit,
  requireStaffView,
  type Party,
} from "./authorize.js";
export { PERMISSION_CATALOGUE, hasAdminAccess, isPermissionKey } from "./permissions.js";
