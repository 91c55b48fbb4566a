export {
  requireAdminAccess,
  requireOwnerProtection,
  requireRecentAuthentication,
  requireStaffEdit,
  requireStaffView,
  type Party,
} from "./authorize.js";
export {
  ADMIN_ACCESS_LABEL,
  PERMISSION_CATALOGUE,
  canViewStaff,
  hasAdminAccess,
  hasPermission,
  isPermissionKey,
  type PermissionHolder,
  type PermissionKey,
} from "./permissions.js";
