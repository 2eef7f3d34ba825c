import { definePrivileges } from "../access/privileges.ts";
import { STAFF_AND_MODERATORS, STAFF_ROLES } from "../access/access.ts";
import type { KeysOf } from "../core/types.ts";

/** The Insights page and API. */
export const insightsPrivileges = definePrivileges({
  /** See the dashboard, its CSV and its settings. */
  "insights.view": { roles: STAFF_AND_MODERATORS },
  /** Change the cost per contact, the currency and the time zone: company figures. */
  "insights.configure": { roles: STAFF_ROLES },
});

declare module "../access/privileges.ts" {
  interface Privileges extends KeysOf<typeof insightsPrivileges> {}
}
