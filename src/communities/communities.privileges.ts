import { definePrivileges } from "../access/privileges.ts";
import { STAFF_AND_MODERATORS } from "../access/access.ts";
import type { KeysOf } from "../core/types.ts";

/** Running a community: its categories, members' roles, settings and audit log. */
export const communityPrivileges = definePrivileges({
  "category.create": { roles: ["admin"] },
  "member.setRole": { roles: ["admin"] },
  /**
   * See champions-only categories (posting in them also needs the posting privileges). Reading, so
   * it holds while suspended: a suspended champion or moderator keeps reading, as every member does.
   */
  "category.champions": { roles: STAFF_AND_MODERATORS, champions: true, whileSuspended: true },
  /** Kudos values, ranks, thresholds and moderation settings. */
  "community.configure": { roles: ["admin"] },
  "audit.view": { roles: ["admin"] },
});

declare module "../access/privileges.ts" {
  interface Privileges extends KeysOf<typeof communityPrivileges> {}
}
