/**
 * The public module of the topics domain: what other domains may use of it. Everything else in
 * src/topics/ is its own business (the composition root, src/app, may wire any of it).
 */
export type { PostScreening, Screening, Submission, VoteRefusal, VoteRules } from "./topics.extensions.ts";
export { screenEdit } from "./topics.extensions.ts";
export type { NewTopicData, PostRef, RefusedPanelForm, TopicPageData } from "./topics.panels.ts";
export { replyHere, topicHere, topicPageWithRefusedForm } from "./topics.pages.ts";
export { type TopicFact, lacks } from "./topics.facts.ts";
export { SOLVABLE_KINDS, canSeeCategory, canSeePost, topicAbilities } from "./topics.policy.ts";
export { applyReplyEdit, applyTopicEdit, createReply } from "./topics.posting.ts";
export {
  answerCountOf,
  answersTopic,
  commentInTopic,
  commentTopicIdSql,
  firstAnswerAt,
  firstAnswerWait,
} from "./topics.queries.ts";
export { accept } from "./topics.reactions.ts";
export { KINDS, STATUSES, type TopicStatus, body, tag, title, topicParams } from "./topics.schema.ts";
export {
  type PublicTopic,
  eventSubject,
  replyById,
  toPublicTopic,
  topicWithAccess,
  topicsByIds,
  withLastReplies,
} from "./topics.service.ts";
export {
  followMerges,
  clearAbandoned,
  clearEscalated,
  lockTopicAsItIs,
  topicWhereItLives,
  lockTopics,
  lockedPostState,
  markAbandoned,
  refuseGone,
  markEscalated,
  mergeFollowers,
  mergeTopicInto,
  redactRevision,
  removeFollowsOf,
  setPostState,
  setTopicCategory,
  setTopicLocked,
} from "./topics.state.ts";
export { hasStatus, topicStatus } from "./topics.status.ts";
export { topicBase, topicPath, topicSlug } from "./topics.urls.ts";
export { type PostPath, categoryLink, hideButton, kindBadge, postPath, statusBadge, tagLinks } from "./topics.views.ts";
export {
  type TopicViewer,
  type TopicVisibilityFacts,
  topicVisibilityFacts,
  canSeeModerated,
  categoryAllowsSql,
  canSeeTopic,
  postShownSql,
  topicReadableBy,
  topicViewer,
  visibleTopicsSql,
  wouldReveal,
} from "./topics.visibility.ts";
