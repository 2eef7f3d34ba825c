import type { Deps } from "../core/deps.ts";
import { defineApi, idParams } from "../http/api.ts";
import { claimBody, claimImportedMember } from "./claim.ts";

/** Imported members without a login, handed to their owners by a platform admin. */
export function transferRoutes(deps: Deps) {
  return [
    defineApi({
      method: "POST",
      path: "/admin/imported-members/:id/claim",
      tag: "transfer",
      summary:
        "Give an imported member (no login yet) an email and a one-time password, returned once (platform admins)",
      auth: "required",
      params: idParams,
      body: claimBody,
      handler: async ({ actor, params, body }) => claimImportedMember(deps, actor, params.id, body),
    }),
  ];
}
