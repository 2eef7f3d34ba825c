import { definePrivileges } from "../access/privileges.ts";
import { MODERATORS, STAFF_AND_MODERATORS } from "../access/access.ts";
import type { KeysOf } from "../core/types.ts";

/** Keeping the community clean: links and images for trusted members, flags, the review queue, moderator actions. */
export const moderationPrivileges = definePrivileges({
  /** Links in posts; new members earn it with a little kudos. */
  "post.links": { roles: STAFF_AND_MODERATORS, kudos: 10, champions: true },
  "post.images": { roles: STAFF_AND_MODERATORS, kudos: 10, champions: true },
  "post.flag": { anyParticipant: true, notOwner: true },
  /** See the review queue; approve, hide or edit what is in it. */
  "review.queue": { roles: MODERATORS, kudos: 2000 },
  "post.delete": { roles: MODERATORS },
  "post.hide": { roles: MODERATORS },
  /** Erase a past version of a post's edit history. */
  "post.redact": { roles: MODERATORS },
  "topic.lock": { roles: MODERATORS },
  "topic.move": { roles: MODERATORS },
  "topic.merge": { roles: MODERATORS },
  "member.warn": { roles: MODERATORS },
  "member.suspend": { roles: MODERATORS },
  /** Remove a member from the community, ban them from joining again, lift a ban. */
  "member.remove": { roles: MODERATORS },
});

declare module "../access/privileges.ts" {
  interface Privileges extends KeysOf<typeof moderationPrivileges> {}
}
