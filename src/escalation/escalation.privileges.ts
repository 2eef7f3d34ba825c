import { definePrivileges } from "../access/privileges.ts";
import { STAFF_ROLES } from "../access/access.ts";
import type { KeysOf } from "../core/types.ts";

export const escalationPrivileges = definePrivileges({
  /** The staff queue: list, assign, notes, escalate, de-escalate, resolve; webhook deliveries. */
  "queue.work": { roles: STAFF_ROLES },
});

declare module "../access/privileges.ts" {
  interface Privileges extends KeysOf<typeof escalationPrivileges> {}
}
