import { Type, type FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { ADMIN_ACCESS_LABEL, PERMISSION_CATALOGUE } from "./permissions.js";

const Permission = Type.Object({ key: Type.String(), label: Type.String(), description: Type.String() });

export function permissionsRoutes(): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      "/api/permissions",
      {
        schema: {
          summary: `The permission catalogue; "${ADMIN_ACCESS_LABEL}" implies all of them`,
          tags: ["permissions"],
          response: { 200: Type.Array(Permission) },
        },
      },
      async () => PERMISSION_CATALOGUE.map((permission) => ({ ...permission })),
    );
  };
}
