import type { Database } from "../db/schema.ts";
import { attachmentUrl, parseAttachmentUrl } from "../lib/attachments.ts";
import { AVATAR_SIZES, avatarFileKey } from "../web/avatar.ts";

/**
 * What a community archive holds, table by table, in the order an import inserts them (parents
 * first). Each table's rows are found through the community or through a parent already taken;
 * user columns are listed because members are matched by email in the target and may change id.
 * Every other id is kept, so links between rows, and the API's output, stay the same.
 *
 * Left out on purpose: sessions, API tokens, account links, SSO identities, notifications and their
 * preferences, routing opt-outs, and email/webhook deliveries (personal, platform-wide or transient),
 * the job queue, rate limits, live events, help-desk delivery logs, platform settings, postal places,
 * and what is rebuilt from the rows: the search index and the insights rollups.
 */
export type TableName = keyof Database;

export type RowsOf =
  /** Rows whose column holds the community's id. */
  | { community: string }
  /** Rows whose column holds the id of a row of `parent` taken already; `or`: another such parent. */
  | { parent: TableName; column: string; or?: { parent: TableName; column: string } }
  /** Rows pointing at a topic, reply or comment by a type column and an id column. */
  | { targets: { type: string; id: string } };

export interface TableSpec {
  table: TableName;
  rows: RowsOf;
  /** Has a serial `id` (its sequence is moved past the imported ids on PostgreSQL). */
  serial?: boolean;
  /** Columns holding user ids. */
  users: string[];
  /** An id column holding a user's id when a type column says so (an audit entry about a member). */
  typedUser?: { type: string; id: string; types: readonly string[] };
  /** Keys of a JSON `details` column holding user ids (what an audit entry records about whom). */
  detailUsers?: readonly string[];
  /** Columns pointing forward (to rows inserted later): written in a second pass. */
  later?: string[];
  /** Columns holding the id of a row of another table: when set, a row of this very archive. */
  refs?: Record<string, TableName>;
  /** A type and an id column naming a topic, reply or comment: one of this very archive. */
  target?: { type: string; id: string };
}

const community = (column = "communityId"): RowsOf => ({ community: column });
const parent = (table: TableName, column: string): RowsOf => ({ parent: table, column });
/** A flag or a review naming the post it is about. */
const TARGET = { type: "targetType", id: "targetId" };

export const ARCHIVE_TABLES: TableSpec[] = [
  { table: "communities", rows: community("id"), serial: true, users: [] },
  { table: "memberships", rows: community(), users: ["userId"] },
  { table: "communityBans", rows: community(), users: ["userId", "bannedBy"] },
  { table: "categories", rows: community(), serial: true, users: [] },
  { table: "communitySettings", rows: community(), users: [] },
  { table: "communitySsoRequirements", rows: community(), users: [] },
  { table: "allowedOrigins", rows: community(), users: [] },
  { table: "routingSettings", rows: community(), users: [] },
  { table: "escalationWebhooks", rows: community(), users: ["supportUserId"] },
  {
    table: "topics",
    rows: community(),
    serial: true,
    users: ["authorId", "acceptedBy"],
    later: ["acceptedReplyId", "mergedIntoId"],
    refs: { categoryId: "categories" },
  },
  { table: "topicTags", rows: parent("topics", "topicId"), users: [] },
  { table: "topicViews", rows: parent("topics", "topicId"), users: [] },
  { table: "topicSources", rows: parent("topics", "topicId"), users: [] },
  {
    table: "replies",
    rows: parent("topics", "topicId"),
    serial: true,
    users: ["authorId"],
    refs: { mergedFromTopicId: "topics" },
  },
  // A comment is on a reply or on the question itself (migration 020).
  {
    table: "comments",
    rows: { ...parent("replies", "replyId"), or: { parent: "topics", column: "topicId" } },
    serial: true,
    users: ["authorId"],
  },
  { table: "votes", rows: { targets: { type: "targetType", id: "targetId" } }, users: ["userId"] },
  {
    table: "revisions",
    rows: { targets: { type: "targetType", id: "targetId" } },
    serial: true,
    users: ["editorId", "redactedBy"],
  },
  { table: "follows", rows: parent("topics", "topicId"), users: ["userId"] },
  { table: "topicDuplicates", rows: parent("topics", "topicId"), users: ["markedBy"], refs: { originalId: "topics" } },
  {
    table: "articles",
    rows: community(),
    serial: true,
    users: ["authorId"],
    refs: { categoryId: "categories", sourceTopicId: "topics" },
  },
  { table: "ideaStatuses", rows: community(), users: [], refs: { topicId: "topics" } },
  { table: "ideaStatusChanges", rows: community(), serial: true, users: ["staffId"], refs: { topicId: "topics" } },
  { table: "polls", rows: community(), serial: true, users: ["createdBy"], refs: { topicId: "topics" } },
  { table: "pollOptions", rows: parent("polls", "pollId"), serial: true, users: [] },
  { table: "pollVotes", rows: parent("polls", "pollId"), users: ["userId"], refs: { optionId: "pollOptions" } },
  { table: "supportCases", rows: community(), users: ["assignedTo", "resolvedBy"], refs: { topicId: "topics" } },
  { table: "supportNotes", rows: parent("topics", "topicId"), serial: true, users: ["authorId"] },
  { table: "helpdeskTickets", rows: community(), users: [], refs: { topicId: "topics" } },
  { table: "reputation", rows: community(), users: ["userId"] },
  {
    table: "kudosEvents",
    rows: community(),
    serial: true,
    users: ["userId", "actorId"],
    refs: { topicId: "topics", reversesId: "kudosEvents" },
  },
  { table: "memberBadges", rows: community(), serial: true, users: ["userId"] },
  { table: "rewards", rows: community(), serial: true, users: [] },
  {
    table: "rewardRedemptions",
    rows: community(),
    serial: true,
    users: ["userId", "decidedBy"],
    refs: { rewardId: "rewards" },
  },
  { table: "postFlags", rows: community(), serial: true, users: ["userId"], target: TARGET },
  { table: "reviewQueue", rows: community(), serial: true, users: ["authorId", "resolvedBy"], target: TARGET },
  { table: "memberExpertise", rows: community(), users: ["userId"] },
  { table: "topicRoutes", rows: community(), users: ["userId"], refs: { topicId: "topics" } },
  { table: "courses", rows: community(), serial: true, users: ["createdBy"] },
  { table: "courseLessons", rows: parent("courses", "courseId"), serial: true, users: [] },
  { table: "quizQuestions", rows: parent("courses", "courseId"), serial: true, users: [] },
  { table: "quizOptions", rows: parent("quizQuestions", "questionId"), serial: true, users: [] },
  { table: "quizAttempts", rows: parent("courses", "courseId"), serial: true, users: ["userId"] },
  { table: "certifications", rows: community(), serial: true, users: ["userId"], refs: { courseId: "courses" } },
  { table: "marketplaceSettings", rows: community(), users: [], refs: { helperCourseId: "courses" } },
  {
    table: "services",
    rows: community(),
    serial: true,
    users: [],
    refs: { requiredCourseId: "courses", categoryId: "categories" },
  },
  { table: "helpers", rows: community(), serial: true, users: ["userId", "decidedBy"] },
  { table: "offers", rows: community(), serial: true, users: ["helperId"], refs: { serviceId: "services" } },
  {
    table: "jobRequests",
    rows: community(),
    serial: true,
    users: ["customerId", "helperId"],
    refs: { serviceId: "services" },
  },
  { table: "jobCandidates", rows: parent("jobRequests", "jobRequestId"), users: ["helperId"] },
  {
    table: "bookings",
    rows: community(),
    serial: true,
    users: ["helperId", "customerId", "cancelledBy"],
    refs: { offerId: "offers", jobRequestId: "jobRequests", serviceId: "services" },
  },
  { table: "bookingMessages", rows: parent("bookings", "bookingId"), serial: true, users: ["authorId"] },
  { table: "payments", rows: community(), users: ["helperId"], refs: { bookingId: "bookings" } },
  {
    table: "bookingProblems",
    rows: community(),
    serial: true,
    users: ["reporterId", "resolvedBy"],
    refs: { bookingId: "bookings" },
  },
  {
    table: "reviews",
    rows: community(),
    serial: true,
    users: ["helperId", "customerId"],
    refs: { bookingId: "bookings" },
  },
  { table: "reviewFlags", rows: parent("reviews", "reviewId"), users: ["userId"] },
  {
    table: "deflectionEvents",
    rows: community(),
    serial: true,
    users: ["userId"],
    refs: { topicId: "topics", articleId: "articles" },
  },
  {
    table: "auditLog",
    rows: community(),
    serial: true,
    users: ["actorId"],
    typedUser: { type: "targetType", id: "targetId", types: ["member", "user"] },
    // The edited post's author, the helper applying, the problem's reporter, the rewarded member, a case's assignee.
    detailUsers: ["authorId", "userId", "reporterId", "memberId", "assignee"],
  },
  // An import map's local row is a member's (kind "user") or a post of this archive's.
  {
    table: "externalIds",
    rows: community(),
    users: [],
    typedUser: { type: "kind", id: "localId", types: ["user"] },
  },
  { table: "attachments", rows: community(), serial: true, users: ["ownerId"] },
  { table: "attachmentTopics", rows: parent("topics", "topicId"), users: [] },
];

/** The columns of a row holding user ids: its table's, and its typed id when that names a user. */
export function userColumnsOf(spec: TableSpec, row: Record<string, unknown>): string[] {
  const typed = spec.typedUser;
  return typed?.types.includes(String(row[typed.type])) ? [...spec.users, typed.id] : spec.users;
}

/**
 * The columns of users an archive carries: the password hash too, so members keep their logins;
 * when they confirmed their address, so they may still post where that is required (and a single
 * sign-on login does not clear their password); their avatar; and when an account was deleted, so
 * it stays deleted.
 */
export const USER_COLUMNS = [
  "id",
  "email",
  "name",
  "handle",
  "passwordHash",
  "locale",
  "createdAt",
  "emailVerifiedAt",
  "avatarKey",
  "deletedAt",
] as const;

/**
 * The files an archive carries, by storage key: those its rows name (helpers' photos, members'
 * avatars in every size, images attached to posts with their thumbnails). An import writes no other.
 */
export function uploadKeys(rows: Map<string, Record<string, unknown>[]>): Set<string> {
  const keys = new Set<string>();
  const named = (value: unknown): value is string => typeof value === "string" && value !== "";
  for (const helper of rows.get("helpers") ?? []) if (named(helper.photoKey)) keys.add(helper.photoKey);
  for (const user of rows.get("users") ?? [])
    if (named(user.avatarKey)) for (const size of AVATAR_SIZES) keys.add(avatarFileKey(user.avatarKey, size));
  for (const attachment of rows.get("attachments") ?? []) {
    const image = parseAttachmentUrl(attachmentUrl(String(attachment.key)));
    if (image) keys.add(image.key).add(image.thumbKey);
  }
  return keys;
}

export const ARCHIVE_FORMAT = "crowdservice-community";
export const ARCHIVE_VERSION = 1;

export const snakeCase = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
