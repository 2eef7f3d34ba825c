import { definePrivileges } from "../access/privileges.ts";
import { STAFF_ROLES } from "../access/access.ts";
import type { KeysOf } from "../core/types.ts";

/** "Staff" are the roles that speak for the company: staff and admins (platform admins count as admins). */
export const routingPrivileges = definePrivileges({
  /** Routing quality figures. */
  "stats.routing": { roles: STAFF_ROLES },
  /** Routing parameters and the outgoing webhook. */
  "support.configure": { roles: ["admin"] },
});

declare module "../access/privileges.ts" {
  interface Privileges extends KeysOf<typeof routingPrivileges> {}
}
