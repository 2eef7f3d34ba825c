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
