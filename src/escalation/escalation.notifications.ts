import { registerNotificationKind } from "../notifications/index.ts";

/** The asker hears when support closed their case without a public answer (privately, or in the help desk). */
registerNotificationKind({
  kind: "case_private",
  defaultChannel: "email",
  area: "support",
  message: "notify.case_private",
  label: "notify.kind.case_private",
});
