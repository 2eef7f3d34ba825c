import { definePrivileges } from "../access/privileges.ts";
import type { KeysOf } from "../core/types.ts";

/** Writing posts: attaching images (within the allowance of the member's level, editor.policy.ts). */
export const editorPrivileges = definePrivileges({
  "post.attach": { anyParticipant: true },
});

declare module "../access/privileges.ts" {
  interface Privileges extends KeysOf<typeof editorPrivileges> {}
}
