import { definePrivileges } from "../access/privileges.ts";
import { STAFF_ROLES } from "../access/access.ts";
import type { KeysOf } from "../core/types.ts";

export const pollPrivileges = definePrivileges({
  /** A poll on a topic: its author or staff. */
  "poll.create": { owner: true, roles: STAFF_ROLES },
  "poll.vote": { anyParticipant: true },
});

declare module "../access/privileges.ts" {
  interface Privileges extends KeysOf<typeof pollPrivileges> {}
}
