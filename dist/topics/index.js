export { SOLVABLE_KINDS, canSeeCategory, canSeePost, topicAbilities } from "./topics.policy.js";
export { applyReplyEdit, applyTopicEdit } from "./topics.posting.js";
export { KINDS, STATUSES, body, tag, title, topicParams } from "./topics.schema.js";
export { eventSubject, replyById, toPublicTopic, topicWithAccess, topicsByIds, } from "./topics.service.js";
export { clearAbandoned, clearEscalated, markAbandoned, markEscalated, mergeFollowers, mergeTopicInto, setPostState, setTopicCategory, setTopicLocked, } from "./topics.state.js";
export { hasStatus, topicStatus } from "./topics.status.js";
export { categoryLink, hideButton, kindBadge, postPath, statusBadge, tagLinks } from "./topics.views.js";
export { canSeeTopic, privateTopicReaders, topicViewer, visibleTopicsSql, } from "./topics.visibility.js";
