export {
  ADMIN_ACCESS_LABEL,
  PERMISSION_CATALOGUE,
  hasAdminAccess,
  hasPermission,
  isPermissionKey,
  type PermissionHolder,
  type PermissionKey,
} from "./permissions.js";
