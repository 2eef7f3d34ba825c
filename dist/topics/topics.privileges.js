import { definePrivileges } from "../access/privileges.js";
import { MODERATORS, STAFF_AND_MODERATORS } from "../access/access.js";
/** Taking part in topics: posting, editing, voting, accepting, following. */
export const topicPrivileges = definePrivileges({
    "topic.create": { anyParticipant: true },
    /** Editing others' topics: moderators, champions and members from a kudos level. */
    "topic.edit": { owner: true, roles: MODERATORS, kudos: 1000, champions: true },
    /** Changing only the tags of someone else's topic. */
    "topic.retag": { owner: true, roles: STAFF_AND_MODERATORS, kudos: 250, champions: true },
    "topic.accept": { owner: true, roles: STAFF_AND_MODERATORS },
    "topic.vote": { anyParticipant: true, notOwner: true },
    "topic.follow": { anyParticipant: true, whileSuspended: true },
    "reply.create": { anyParticipant: true },
    "reply.edit": { owner: true, roles: MODERATORS, kudos: 1000, champions: true },
    "reply.vote": { anyParticipant: true, notOwner: true },
    "comment.create": { anyParticipant: true },
});
