import { definePrivileges } from "../access/privileges.ts";
import { STAFF_ROLES } from "../access/access.ts";
import type { KeysOf } from "../core/types.ts";

export const ideaPrivileges = definePrivileges({
  /** Moving an idea through the pipeline (with a public note): the company speaks. */
  "idea.setStatus": { roles: STAFF_ROLES },
});

declare module "../access/privileges.ts" {
  interface Privileges extends KeysOf<typeof ideaPrivileges> {}
}
