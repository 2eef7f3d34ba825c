import type { Generated, Insertable, Selectable } from "kysely";

/** Kysely table types. Columns are snake_case in SQL and camelCase here (CamelCasePlugin). Times are epoch milliseconds. */
export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  apiTokens: ApiTokensTable;
  communities: CommunitiesTable;
  memberships: MembershipsTable;
  categories: CategoriesTable;
  topics: TopicsTable;
  topicTags: TopicTagsTable;
  replies: RepliesTable;
  comments: CommentsTable;
  votes: VotesTable;
  follows: FollowsTable;
  revisions: RevisionsTable;
  rateLimits: RateLimitsTable;
  jobs: JobsTable;
  settings: SettingsTable;
  auditLog: AuditLogTable;
  notifications: NotificationsTable;
  notificationPreferences: NotificationPreferencesTable;
  emailDeliveries: EmailDeliveriesTable;
  liveEvents: LiveEventsTable;
  articles: ArticlesTable;
  topicDuplicates: TopicDuplicatesTable;
  deflectionEvents: DeflectionEventsTable;
  searchDocuments: SearchDocumentsTable;
}

export interface UsersTable {
  id: Generated<number>;
  email: string;
  name: string;
  passwordHash: string;
  isPlatformAdmin: number;
  locale: string | null;
  signupIp: string | null;
  createdAt: number;
}

export interface SessionsTable {
  /** sha256 of the cookie value, so a database leak does not leak sessions. */
  idHash: string;
  userId: number;
  createdAt: number;
  expiresAt: number;
}

export interface ApiTokensTable {
  id: Generated<number>;
  userId: number;
  name: string;
  tokenHash: string;
  createdAt: number;
  lastUsedAt: number | null;
}

export type Visibility = "public" | "private";
export type Role = "member" | "staff" | "moderator" | "admin";

export interface CommunitiesTable {
  id: Generated<number>;
  slug: string;
  name: string;
  description: string;
  visibility: Visibility;
  locale: string;
  createdAt: number;
}

export interface MembershipsTable {
  communityId: number;
  userId: number;
  role: Role;
  createdAt: number;
  /** A suspended member reads but cannot take part until then (epoch ms). */
  suspendedUntil: Generated<number | null>;
  suspensionReason: Generated<string | null>;
}

export interface CategoriesTable {
  id: Generated<number>;
  communityId: number;
  slug: string;
  name: string;
  description: string;
  position: number;
}

export type TopicKind = "question" | "idea" | "problem" | "praise";

export interface TopicsTable {
  id: Generated<number>;
  communityId: number;
  categoryId: number | null;
  authorId: number;
  kind: TopicKind;
  title: string;
  body: string;
  bodyHtml: string;
  /** Tags as a JSON array, for display without a join; topic_tags serves filtering. */
  tags: string;
  score: number;
  replyCount: number;
  followerCount: number;
  acceptedReplyId: number | null;
  createdAt: number;
  lastActivityAt: number;
  editedAt: number | null;
}

export interface TopicTagsTable {
  topicId: number;
  communityId: number;
  tag: string;
}

export interface RepliesTable {
  id: Generated<number>;
  topicId: number;
  authorId: number;
  body: string;
  bodyHtml: string;
  /** Set when the author was staff at the time of posting. */
  official: number;
  score: number;
  createdAt: number;
  editedAt: number | null;
}

export interface CommentsTable {
  id: Generated<number>;
  replyId: number;
  authorId: number;
  body: string;
  bodyHtml: string;
  createdAt: number;
}

export type VoteTarget = "topic" | "reply";

export interface VotesTable {
  userId: number;
  targetType: VoteTarget;
  targetId: number;
  value: number;
  createdAt: number;
}

export interface FollowsTable {
  topicId: number;
  userId: number;
  createdAt: number;
}

/** Earlier versions of a topic or reply; the current version lives on the row itself. */
export interface RevisionsTable {
  id: Generated<number>;
  targetType: VoteTarget;
  targetId: number;
  editorId: number;
  title: string | null;
  body: string;
  tags: string | null;
  createdAt: number;
}

export interface RateLimitsTable {
  key: string;
  windowStart: number;
  count: number;
}

export type User = Selectable<UsersTable>;
export type Community = Selectable<CommunitiesTable>;
export type Category = Selectable<CategoriesTable>;
export type Topic = Selectable<TopicsTable>;
export type Reply = Selectable<RepliesTable>;
export type NewTopic = Insertable<TopicsTable>;

export type JobStatus = "pending" | "running" | "done" | "failed";

export interface JobsTable {
  id: Generated<number>;
  name: string;
  /** JSON. */
  payload: string;
  status: JobStatus;
  runAt: number;
  attempts: number;
  maxAttempts: number;
  /** A running job whose lease passed is taken to have crashed and runs again. */
  lockedUntil: number | null;
  lastError: string | null;
  dedupeKey: string | null;
  createdAt: number;
  finishedAt: number | null;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface NotificationsTable {
  id: Generated<number>;
  userId: number;
  communityId: number | null;
  kind: string;
  topicId: number | null;
  actorId: number | null;
  /** JSON: what the message needs (title, excerpt, url). */
  data: string;
  eventKey: string;
  createdAt: number;
  readAt: number | null;
  digestedAt: number | null;
}

export type NotificationChannel = "inapp" | "email" | "daily" | "weekly" | "off";

export interface NotificationPreferencesTable {
  userId: number;
  kind: string;
  channel: NotificationChannel;
}

export type DeliveryStatus = "pending" | "sent" | "failed";

export interface EmailDeliveriesTable {
  id: Generated<number>;
  userId: number | null;
  toAddress: string;
  kind: string;
  subject: string;
  textBody: string;
  htmlBody: string;
  /** JSON object of extra headers (List-Unsubscribe). */
  headers: string;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  createdAt: number;
  sentAt: number | null;
}

export interface LiveEventsTable {
  id: Generated<number>;
  channel: string;
  type: string;
  /** JSON. */
  data: string;
  createdAt: number;
}

/** Knowledge base articles: curated answers written by staff, from scratch or promoted from a solved topic. */
export interface ArticlesTable {
  id: Generated<number>;
  communityId: number;
  categoryId: number | null;
  sourceTopicId: number | null;
  authorId: number;
  title: string;
  body: string;
  bodyHtml: string;
  createdAt: number;
  updatedAt: number;
}

/** A topic marked as a duplicate of another topic of the same community. */
export interface TopicDuplicatesTable {
  topicId: number;
  originalId: number;
  markedBy: number | null;
  createdAt: number;
}

export type DeflectionEventType = "suggestion_shown" | "suggestion_opened" | "result_opened" | "topic_posted";

/** What a visit did with suggestions and search results; only a member id or a random visit id identifies it. */
export interface DeflectionEventsTable {
  id: Generated<number>;
  communityId: number;
  type: DeflectionEventType;
  visitId: string | null;
  userId: number | null;
  topicId: number | null;
  articleId: number | null;
  solved: number;
  createdAt: number;
}

/**
 * One row per indexed topic or article. The text lives in FTS5 tables keyed by id (SQLite) or in
 * dialect-only columns with a tsvector (PostgreSQL); see src/search.
 */
export interface SearchDocumentsTable {
  id: Generated<number>;
  communityId: number;
  docType: "topic" | "article";
  topicId: number | null;
  articleId: number | null;
  locale: string;
  title: string;
  indexedAt: number;
}

/** Every moderator and admin action, append-only. */
export interface AuditLogTable {
  id: Generated<number>;
  communityId: number | null;
  actorId: number | null;
  /** e.g. "topic.lock", "member.suspend", "helper.approve". */
  action: string;
  targetType: string;
  targetId: number | null;
  /** JSON: reason, before/after values. */
  details: string;
  createdAt: number;
}
