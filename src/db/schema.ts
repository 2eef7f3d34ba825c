import type { Generated, Insertable, Selectable } from "kysely";

/**
 * Kysely table types. Columns are snake_case in SQL and camelCase here (CamelCasePlugin). Times are epoch milliseconds.
 */
export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  apiTokens: ApiTokensTable;
  accountLinks: AccountLinksTable;
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
  communityBans: CommunityBansTable;
  notifications: NotificationsTable;
  notificationPreferences: NotificationPreferencesTable;
  emailDeliveries: EmailDeliveriesTable;
  emailDeliveryActors: EmailDeliveryActorsTable;
  liveEvents: LiveEventsTable;
  articles: ArticlesTable;
  topicDuplicates: TopicDuplicatesTable;
  deflectionEvents: DeflectionEventsTable;
  searchDocuments: SearchDocumentsTable;
  searchPostings: SearchPostingsTable;
  searchTerms: SearchTermsTable;
  searchStats: SearchStatsTable;
  searchVectors: SearchVectorsTable;
  searchTexts: SearchTextsTable;
  memberExpertise: MemberExpertiseTable;
  topicRoutes: TopicRoutesTable;
  routingPreferences: RoutingPreferencesTable;
  routingSettings: RoutingSettingsTable;
  supportCases: SupportCasesTable;
  supportNotes: SupportNotesTable;
  escalationWebhooks: EscalationWebhooksTable;
  webhookDeliveries: WebhookDeliveriesTable;
  courses: CoursesTable;
  courseLessons: CourseLessonsTable;
  quizQuestions: QuizQuestionsTable;
  quizOptions: QuizOptionsTable;
  quizAttempts: QuizAttemptsTable;
  certifications: CertificationsTable;
  marketplaceSettings: MarketplaceSettingsTable;
  postalPlaces: PostalPlacesTable;
  services: ServicesTable;
  helpers: HelpersTable;
  offers: OffersTable;
  jobRequests: JobRequestsTable;
  jobCandidates: JobCandidatesTable;
  bookings: BookingsTable;
  bookingMessages: BookingMessagesTable;
  payments: PaymentsTable;
  bookingProblems: BookingProblemsTable;
  reviews: ReviewsTable;
  reviewFlags: ReviewFlagsTable;
}

export interface UsersTable {
  id: Generated<number>;
  email: string;
  name: string;
  /** Unique, lowercase: what @mentions name (lib/handles.ts); kept when the display name changes. */
  handle: string;
  passwordHash: string;
  isPlatformAdmin: number;
  locale: string | null;
  signupIp: string | null;
  createdAt: number;
  /** When the member confirmed their address by the link sent at signup (or when it changed). */
  emailVerifiedAt: Generated<number | null>;
  /** Storage key stem of the uploaded avatar (`avatars/<hash>`, one file per size); null: initials. */
  avatarKey: Generated<string | null>;
  /** Set when the member deleted their account: the row stays, anonymised, so their posts stay credited. */
  deletedAt: Generated<number | null>;
}

export interface SessionsTable {
  /** sha256 of the cookie value, so a database leak does not leak sessions. */
  idHash: string;
  userId: number;
  createdAt: number;
  expiresAt: number;
  /** The browser's User-Agent when the session began, shown as its device. */
  userAgent: Generated<string | null>;
  /** The last request, to the minute. */
  lastSeenAt: Generated<number | null>;
}

export type AccountLinkPurpose = "password_reset" | "verify_email" | "change_email";

/** A single-use link sent by email; only the hash of its secret is stored. */
export interface AccountLinksTable {
  id: Generated<number>;
  userId: number;
  purpose: AccountLinkPurpose;
  secretHash: string;
  /** The new address of an email change. */
  email: string | null;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
}

export interface ApiTokensTable {
  id: Generated<number>;
  userId: number;
  name: string;
  tokenHash: string;
  createdAt: number;
  lastUsedAt: number | null;
  /** What the token may do: read (safe methods), write (also post), admin (also staff and admin actions). */
  scope: Generated<TokenScope>;
  /** After this (epoch ms) the token is refused; null: never expires. */
  expiresAt: number | null;
}

export const TOKEN_SCOPES = ["read", "write", "admin"] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export type Visibility = "public" | "private";
export type Role = "member" | "staff" | "moderator" | "admin";

export interface CommunitiesTable {
  id: Generated<number>;
  slug: string;
  name: string;
  description: string;
  visibility: Visibility;
  locale: string;
  /** IANA zone every page, notification and email of the community shows times in. */
  timeZone: Generated<string>;
  createdAt: number;
}

/** A member removed and banned from a community: they cannot join it again. */
export interface CommunityBansTable {
  communityId: number;
  userId: number;
  bannedBy: number | null;
  reason: string;
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
  /**
   * Who answers: crowd (members, staff may join), staff_only (members cannot reply), private (only the asker and staff
   * see it).
   */
  scope: Generated<CategoryScope>;
  /** Shown on the new-topic form and on the topic, e.g. "The community usually answers within 4 hours". */
  expectation: Generated<string>;
  /** SLA: no reply after this long escalates the topic; null: no timer. */
  firstResponseMinutes: Generated<number | null>;
  /** SLA: replies but no solution after this long (from posting) escalates the topic; null: no timer. */
  resolutionMinutes: Generated<number | null>;
}

export type CategoryScope = "crowd" | "staff_only" | "private";

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
  /** Set while the topic is escalated to staff (SLA or by hand); the status is derived (topics.status.ts). */
  escalatedAt: Generated<number | null>;
  /** Set when the asker went silent for 14 days after a reply without accepting a solution. */
  abandonedAt: Generated<number | null>;
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
  /** The reply commented on; null for a comment on the topic itself (migration 020: exactly one is set). */
  replyId: number | null;
  /** The topic whose question is commented on; null for a comment on a reply. */
  topicId: Generated<number | null>;
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
  /** When a moderator redacted this version: its title, body and tags are erased (epoch ms). */
  redactedAt: Generated<number | null>;
  redactedBy: Generated<number | null>;
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
  /** The reply or comment it is about (migration 031): hidden or deleted, the notification goes too. */
  postType: "reply" | "comment" | null;
  postId: number | null;
}

export type NotificationChannel = "inapp" | "email" | "daily" | "weekly" | "off";

export interface NotificationPreferencesTable {
  userId: number;
  kind: string;
  channel: NotificationChannel;
}

export type DeliveryStatus = "pending" | "sent" | "failed";
/** An email is also withdrawn when what it tells of is no longer shown to its recipient before it goes. */
export type EmailDeliveryStatus = DeliveryStatus | "withdrawn";

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
  status: EmailDeliveryStatus;
  attempts: number;
  lastError: string | null;
  createdAt: number;
  sentAt: number | null;
}

/** The members a queued email names (migration 034). */
export interface EmailDeliveryActorsTable {
  deliveryId: number;
  userId: number;
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

export type DeflectionEventType =
  | "search_shown"
  | "suggestion_shown"
  | "suggestion_opened"
  | "result_opened"
  | "topic_posted";

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
  /** Client-reported events: type, visit, query and target, kept once (migration 011); null for the server's own. */
  dedupeKey: Generated<string | null>;
  /** The id of the token a client's event echoed (migration 044): one token's events are one visit. */
  tokenId: Generated<string | null>;
}

/**
 * One row per indexed topic or article, with its field lengths in terms and solved flag; its terms
 * are in search_postings, its texts in search_texts. See src/search and migration 010.
 */
export interface SearchDocumentsTable {
  id: Generated<number>;
  communityId: number;
  docType: "topic" | "article";
  topicId: number | null;
  articleId: number | null;
  locale: string;
  title: string;
  solved: number;
  lenTitle: number;
  lenTags: number;
  lenBody: number;
  lenAccepted: number;
  lenReplies: number;
  indexedAt: number;
  /** The index version its last indexing made (search_stats.version, migration 030). */
  seq: Generated<number>;
}

/** The texts of an indexed document that snippets are cut from. */
export interface SearchTextsTable {
  docId: number;
  bodyText: string;
  acceptedText: string;
  repliesText: string;
}

/** The inverted index: a term's frequency in each field of one document. */
export interface SearchPostingsTable {
  communityId: number;
  term: string;
  docId: number;
  title: number;
  tags: number;
  body: number;
  accepted: number;
  replies: number;
}

/** A document's question vector from the optional embedding model (search/semantic.ts). */
export interface SearchVectorsTable {
  docId: number;
  communityId: number;
  model: string;
  vector: Uint8Array;
}

/** Document frequency of a term in a community, kept by the indexer. */
export interface SearchTermsTable {
  communityId: number;
  term: string;
  df: number;
}

/** Indexed documents and summed field lengths of a community, kept by the indexer. */
export interface SearchStatsTable {
  communityId: number;
  docs: number;
  lenTitle: number;
  lenTags: number;
  lenBody: number;
  lenAccepted: number;
  lenReplies: number;
  /** Raised by every change to the community's postings (migration 030). */
  version: number;
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

/** Academy: a course of one community, with lessons and a quiz. */
export interface CoursesTable {
  id: Generated<number>;
  communityId: number;
  title: string;
  description: string;
  /** Percentage of questions answered right needed to pass (0-100). */
  passMark: number;
  maxAttempts: number;
  /** Minimum wait between two attempts. */
  cooldownMinutes: number;
  /** A certification expires this many days after it was granted; null: never. */
  validityDays: number | null;
  /** 1: a failed attempt shows which questions were answered wrong (never the right options). */
  showMistakes: Generated<number>;
  createdBy: number | null;
  createdAt: number;
}

export interface CourseLessonsTable {
  id: Generated<number>;
  courseId: number;
  position: number;
  title: string;
  body: string;
  bodyHtml: string;
}

export type QuestionKind = "single" | "multiple";

export interface QuizQuestionsTable {
  id: Generated<number>;
  courseId: number;
  position: number;
  text: string;
  kind: QuestionKind;
}

export interface QuizOptionsTable {
  id: Generated<number>;
  questionId: number;
  position: number;
  text: string;
  /** Never sent to a client before it has submitted an attempt. */
  correct: number;
}

export interface QuizAttemptsTable {
  id: Generated<number>;
  courseId: number;
  userId: number;
  /** JSON: { questionId: optionIds[] }. */
  answers: string;
  score: number;
  passed: number;
  createdAt: number;
}

export interface CertificationsTable {
  id: Generated<number>;
  communityId: number;
  courseId: number;
  userId: number;
  grantedAt: number;
  expiresAt: number | null;
}

/** Marketplace settings of a community; a community without a row uses the column defaults. */
export interface MarketplaceSettingsTable {
  communityId: number;
  currency: string;
  platformFeePercent: number;
  freeCancelHours: number;
  /** IANA time zone in which helpers' weekly availability is meant. */
  timezone: string;
  /** The questionnaire (a course) every applicant must have passed; null: none. */
  helperCourseId: number | null;
  codeOfConduct: string;
  /** Helpers offered a dispatched job per round. */
  dispatchBatch: number;
  /** Wait for an acceptance before the next round. */
  dispatchWaitMinutes: number;
}

export interface PostalPlacesTable {
  postalCode: string;
  place: string;
  lat: number;
  lon: number;
}

export interface ServicesTable {
  id: Generated<number>;
  communityId: number;
  name: string;
  description: string;
  /** Recommended maximum price; an offer above it is refused. */
  maxPriceCents: number;
  requiredCourseId: number | null;
  /** Topics of this category get a "Book a service friend" link. */
  categoryId: number | null;
  createdAt: number;
}

export type HelperStatus = "pending" | "changes_requested" | "rejected" | "approved" | "suspended";

/** An application to become a service friend and, once approved, the helper (counters kept on the row). */
export interface HelpersTable {
  id: Generated<number>;
  communityId: number;
  userId: number;
  status: HelperStatus;
  realName: string;
  postalCode: string;
  phone: string;
  photoKey: string;
  bio: string;
  conductAcceptedAt: number;
  decisionReason: string | null;
  decidedBy: number | null;
  decidedAt: number | null;
  ratingSum: number;
  ratingCount: number;
  completedCount: number;
  createdAt: number;
  updatedAt: number;
}

export type PriceUnit = "fixed" | "hour";

export interface OffersTable {
  id: Generated<number>;
  communityId: number;
  /** The helper's user id. */
  helperId: number;
  serviceId: number;
  priceCents: number;
  priceUnit: PriceUnit;
  /** JSON array of postal codes served. */
  postalCodes: string;
  /** Or a place and a radius around it. */
  centerPostalCode: string | null;
  lat: number | null;
  lon: number | null;
  radiusKm: number | null;
  /** JSON: [{ day: 0-6 (Sunday 0), start: "HH:MM", end: "HH:MM" }] in the community's time zone. */
  availability: string;
  active: number;
  createdAt: number;
  /** The community's currency when the offer was published: its price is shown and booked in it (migration 042). */
  currency: string;
}

export type JobRequestStatus = "open" | "taken" | "staff" | "cancelled";

/** A dispatched job: offered to a few helpers per round; the first to accept gets it. */
export interface JobRequestsTable {
  id: Generated<number>;
  communityId: number;
  customerId: number;
  serviceId: number;
  postalCode: string;
  windowStart: number;
  windowEnd: number;
  description: string;
  address: string;
  phone: string;
  status: JobRequestStatus;
  round: number;
  helperId: number | null;
  createdAt: number;
  /** The community's currency when the job was requested: the helper's price is booked in it. */
  currency: string;
}

export interface JobCandidatesTable {
  jobRequestId: number;
  helperId: number;
  round: number;
  offeredAt: number;
}

/** `no_show`: staff upheld a party's report that the other one did not come (see noShowBy in the marketplace). */
export type BookingStatus = "requested" | "accepted" | "declined" | "cancelled" | "completed" | "expired" | "no_show";

export interface BookingsTable {
  id: Generated<number>;
  communityId: number;
  offerId: number | null;
  jobRequestId: number | null;
  serviceId: number;
  helperId: number;
  customerId: number;
  startsAt: number;
  endsAt: number;
  description: string;
  /** Shown to the helper only once the booking is accepted. */
  address: string;
  phone: string;
  status: BookingStatus;
  /** Who must answer a request: the helper, or the customer after the helper proposed another time. */
  awaiting: "helper" | "customer";
  /** A request not answered by then expires. */
  respondBy: number;
  priceCents: number;
  priceUnit: PriceUnit;
  currency: string;
  /** Why it was declined or cancelled. */
  reason: string | null;
  cancelledBy: number | null;
  lateCancellation: number;
  createdAt: number;
  updatedAt: number;
}

export interface BookingMessagesTable {
  id: Generated<number>;
  bookingId: number;
  authorId: number;
  body: string;
  createdAt: number;
}

export interface PaymentsTable {
  bookingId: number;
  communityId: number;
  helperId: number;
  method: string;
  amountCents: number;
  feePercent: number;
  feeCents: number;
  currency: string;
  /** Invoice number, or the provider's reference. */
  reference: string | null;
  recordedAt: number;
  confirmedAt: number | null;
  /** Set when staff upheld a problem reported with the job: the payment counts nowhere since. */
  voidedAt: number | null;
}

export type BookingProblemKind = "no_show" | "not_done" | "payment" | "other";

/** A problem a party reported with a booking; at most one open per booking, resolved by staff. */
export interface BookingProblemsTable {
  id: Generated<number>;
  bookingId: number;
  communityId: number;
  reporterId: number;
  kind: BookingProblemKind;
  details: string;
  status: "open" | "resolved";
  outcome: "upheld" | "dismissed" | null;
  note: string | null;
  resolvedBy: number | null;
  resolvedAt: number | null;
  createdAt: number;
}

export interface ReviewsTable {
  id: Generated<number>;
  bookingId: number;
  communityId: number;
  helperId: number;
  customerId: number;
  rating: number;
  text: string;
  response: string | null;
  respondedAt: number | null;
  flagCount: number;
  createdAt: number;
}

export interface ReviewFlagsTable {
  reviewId: number;
  userId: number;
  reason: string;
  createdAt: number;
}

/**
 * Expertise of a member for one key ("tag:wifi", "cat:3", "word:router") as of asOf; it decays from there
 * (src/routing/expertise.ts).
 */
export interface MemberExpertiseTable {
  communityId: number;
  userId: number;
  key: string;
  score: number;
  asOf: number;
}

/** A question offered to an expert; expired when it was passed on to the next experts. */
export interface TopicRoutesTable {
  topicId: number;
  userId: number;
  communityId: number;
  round: number;
  routedAt: number;
  answeredAt: number | null;
  expiredAt: number | null;
}

export interface RoutingPreferencesTable {
  userId: number;
  optedOut: number;
  updatedAt: number;
}

/** A community's routing parameters; defaults in src/routing/routing.policy.ts when absent. */
export interface RoutingSettingsTable {
  communityId: number;
  experts: number;
  rerouteAfterMinutes: number;
  maxOpen: number;
  updatedAt: number;
}

export type SupportCaseReason = "staff_only" | "no_reply" | "unsolved" | "manual";

/** A topic in the staff queue (escalated, or in a category only staff answer) until resolved. */
export interface SupportCasesTable {
  topicId: number;
  communityId: number;
  reason: SupportCaseReason;
  openedAt: number;
  assignedTo: number | null;
  resolvedAt: number | null;
  resolvedBy: number | null;
  resolution: string | null;
}

/** Internal notes of staff on a topic; never shown to members. */
export interface SupportNotesTable {
  id: Generated<number>;
  topicId: number;
  authorId: number;
  body: string;
  createdAt: number;
}

/** A community's outgoing webhook to an external help desk. */
export interface EscalationWebhooksTable {
  communityId: number;
  url: string;
  /** HMAC-SHA256 key of the signature header. */
  secret: string;
  active: number;
  timeoutSeconds: number;
  updatedAt: number;
  /** The community's "Support team" account for help-desk replies of agents without a staff account. */
  supportUserId: Generated<number | null>;
}

export interface WebhookDeliveriesTable {
  id: Generated<number>;
  communityId: number;
  topicId: number | null;
  event: string;
  url: string;
  /** The JSON body, exactly as signed and sent. */
  payload: string;
  status: DeliveryStatus;
  attempts: number;
  responseStatus: number | null;
  lastError: string | null;
  createdAt: number;
  deliveredAt: number | null;
  nextAttemptAt: number | null;
  /** What the delivery is about (e.g. "topic.updated:reply:12"): a subscriber that runs twice queues it once. */
  dedupeKey: Generated<string | null>;
}

/* Reputation and moderation (migration 006). Declaration merging adds their columns to the tables above. */
export interface Database {
  communitySettings: CommunitySettingsTable;
  reputation: ReputationTable;
  kudosEvents: KudosEventsTable;
  memberBadges: MemberBadgesTable;
  rewards: RewardsTable;
  rewardRedemptions: RewardRedemptionsTable;
  postFlags: PostFlagsTable;
  reviewQueue: ReviewQueueTable;
}

/** visible; pending: awaits a moderator's approval; hidden; deleted; merged (topics merged into another). */
export type ModerationState = "visible" | "pending" | "hidden" | "deleted" | "merged";
export type PostType = "topic" | "reply" | "comment";

export interface TopicsTable {
  moderationState: Generated<ModerationState>;
  /** 1 while locked: no replies. */
  locked: Generated<number>;
  mergedIntoId: Generated<number | null>;
  /**
   * The accepted reply while moderation hides it (migration 035): meanwhile acceptedReplyId is
   * null; restored, it is the solution again unless another was accepted (topics.state.ts).
   */
  hiddenSolutionId: Generated<number | null>;
  /** Who accepted the solution (migration 038); null when not known. */
  acceptedBy: Generated<number | null>;
  /** 0 until the post is first visible (migration 041): held for review, and hidden from the queue. */
  published: Generated<number>;
  /**
   * Its visible replies that answer it: not a merged topic's question (migration 043). "answered"
   * reads it, not replyCount (topics.status.ts); kept wherever replyCount is.
   */
  answerCount: Generated<number>;
  /**
   * When an acceptance (or its withdrawal) or a merge last made the topic active (migration 043):
   * no post holds that time, so hiding the latest post rolls last activity back no further
   * (topics.activity.ts). Null when none is known.
   */
  lastEventAt: Generated<number | null>;
}

export interface RepliesTable {
  moderationState: Generated<ModerationState>;
  /** 0 until the post is first visible (migration 041): held for review, and hidden from the queue. */
  published: Generated<number>;
  /** Set on the reply a merge made of that topic's question (migration 032): not an answer. */
  mergedFromTopicId: Generated<number | null>;
}

export interface CommentsTable {
  moderationState: Generated<ModerationState>;
  /** 0 until the post is first visible (migration 041): held for review, and hidden from the queue. */
  published: Generated<number>;
}

export interface CategoriesTable {
  /** 1: only champions and staff see this category and its topics. */
  championsOnly: Generated<number>;
  /**
   * Median minutes to the first answer over the last 30 days (migration 011, kept by the insights
   * job); null: too few answers.
   */
  measuredResponseMinutes: Generated<number | null>;
  measuredAt: Generated<number | null>;
}

/** One JSON document per community and domain section ("reputation", "moderation"). */
export interface CommunitySettingsTable {
  communityId: number;
  section: string;
  value: string;
  updatedAt: number;
}

/** A member's totals in one community; always the sums of their kudos_events. */
export interface ReputationTable {
  communityId: number;
  userId: number;
  /** Sum of "earn" entries: decides rank and privileges. */
  kudos: number;
  /** Sum of all entries: what rewards can still be paid with. */
  balance: number;
  /** Set while the member is in the champions program. */
  championSince: number | null;
  updatedAt: number;
}

export type KudosKind = "earn" | "spend";

export interface KudosEventsTable {
  id: Generated<number>;
  communityId: number;
  /** Whose kudos change. */
  userId: number;
  /** Who caused it (voter, accepter, staff). */
  actorId: number | null;
  reason: string;
  amount: number;
  kind: KudosKind;
  fromVotes: number;
  sourceKey: string;
  topicId: number | null;
  /** Set on a reversal entry: the entry it cancels. */
  reversesId: number | null;
  createdAt: number;
}

export interface MemberBadgesTable {
  id: Generated<number>;
  communityId: number;
  userId: number;
  badge: string;
  sourceKey: string;
  awardedAt: number;
}

export interface RewardsTable {
  id: Generated<number>;
  communityId: number;
  name: string;
  description: string;
  price: number;
  /** What one redemption costs the company, in cents of the insights currency (migration 011). */
  valueCents: Generated<number>;
  stock: number | null;
  active: number;
  createdAt: number;
}

export type RedemptionStatus = "pending" | "fulfilled" | "rejected";

export interface RewardRedemptionsTable {
  id: Generated<number>;
  rewardId: number;
  communityId: number;
  userId: number;
  price: number;
  status: RedemptionStatus;
  idempotencyKey: string | null;
  note: string;
  createdAt: number;
  decidedAt: number | null;
  decidedBy: number | null;
}

export type FlagReason = "spam" | "abuse" | "off_topic" | "other";
export type FlagStatus = "open" | "agreed" | "dismissed";

export interface PostFlagsTable {
  id: Generated<number>;
  communityId: number;
  targetType: PostType;
  targetId: number;
  userId: number;
  reason: FlagReason;
  text: string;
  trusted: number;
  status: FlagStatus;
  createdAt: number;
}

export type ReviewReason = "flags" | "first_post" | "spam";
export type ReviewStatus = "open" | "approved" | "hidden" | "deleted";

export interface ReviewQueueTable {
  id: Generated<number>;
  communityId: number;
  targetType: PostType;
  targetId: number;
  authorId: number;
  reason: ReviewReason;
  details: string;
  status: ReviewStatus;
  createdAt: number;
  resolvedAt: number | null;
  resolvedBy: number | null;
}

/** Issue #14: ideas pipeline, polls and the two-way help-desk connector (migration 013). */
export interface Database {
  ideaStatuses: IdeaStatusesTable;
  ideaStatusChanges: IdeaStatusChangesTable;
  polls: PollsTable;
  pollOptions: PollOptionsTable;
  pollVotes: PollVotesTable;
  helpdeskTickets: HelpdeskTicketsTable;
  helpdeskDeliveries: HelpdeskDeliveriesTable;
  helpdeskEvents: HelpdeskEventsTable;
}

export type IdeaStatus = "new" | "under_review" | "planned" | "in_progress" | "done" | "declined";

/** The current status of an idea; an idea without a row is "new". */
export interface IdeaStatusesTable {
  topicId: number;
  communityId: number;
  status: IdeaStatus;
  changedAt: number;
}

export interface IdeaStatusChangesTable {
  id: Generated<number>;
  topicId: number;
  communityId: number;
  status: IdeaStatus;
  /** Public note of the staff member. */
  note: string | null;
  staffId: number;
  createdAt: number;
}

export interface PollsTable {
  id: Generated<number>;
  topicId: number;
  communityId: number;
  multiple: number;
  closesAt: number | null;
  createdBy: number;
  createdAt: number;
}

export interface PollOptionsTable {
  id: Generated<number>;
  pollId: number;
  position: number;
  label: string;
}

export interface PollVotesTable {
  pollId: number;
  userId: number;
  optionId: number;
  createdAt: number;
}

export interface HelpdeskTicketsTable {
  topicId: number;
  communityId: number;
  ticketId: string;
  ticketUrl: string | null;
  status: string | null;
  updatedAt: number;
  /** When the help desk closed this ticket, until it reopens it (migration 036). */
  closedAt: Generated<number | null>;
}

export interface HelpdeskDeliveriesTable {
  communityId: number;
  deliveryId: string;
  receivedAt: number;
}

export interface HelpdeskEventsTable {
  id: Generated<number>;
  communityId: number;
  deliveryId: string;
  type: string;
  topicId: number | null;
  /** "applied", or why not. */
  outcome: string;
  receivedAt: number;
}

/* The widget (migration 016). */
export interface Database {
  allowedOrigins: AllowedOriginsTable;
}

/** A web origin whose pages may call the community's public widget endpoints (CORS). */
export interface AllowedOriginsTable {
  communityId: number;
  /** Serialized as browsers send it in `Origin`: "https://help.example.com", "http://127.0.0.1:8080". */
  origin: string;
  createdAt: number;
}

/** Issue #18: imports remember what became of each external record (migration 015). */
export interface Database {
  externalIds: ExternalIdsTable;
  topicSources: TopicSourcesTable;
}

export type ExternalKind = "user" | "topic" | "reply" | "comment";

/** The local row an external record (a Stack Exchange post, user, comment) became in one community. */
export interface ExternalIdsTable {
  communityId: number;
  /** "stackexchange:SITE". */
  source: string;
  kind: ExternalKind;
  externalId: string;
  localId: number;
}

/** Where an imported topic came from: its page links there (attribution, CC BY-SA). */
export interface TopicSourcesTable {
  topicId: number;
  type: string;
  site: string;
  externalId: string;
  url: string;
}

// Single sign-on (018_sso).
export interface Database {
  userIdentities: UserIdentitiesTable;
  communitySsoRequirements: CommunitySsoRequirementsTable;
}

export interface UserIdentitiesTable {
  provider: string;
  subject: string;
  userId: number;
  email: string | null;
  /** JSON object: the claims of the latest login through this identity. */
  claims: string;
  createdAt: number;
  lastLoginAt: number;
}

export interface CommunitySsoRequirementsTable {
  communityId: number;
  /** null: a login through any configured provider counts. */
  provider: string | null;
  toPost: number;
  toApply: number;
  claim: string | null;
  claimValue: string | null;
  updatedAt: number;
}

/** Issue #13, part 6: the insights rollups of each community's local days (migration 014). */
export interface Database {
  insightsDays: InsightsDaysTable;
  insightsDaily: InsightsDailyTable;
  insightsDailyResponses: InsightsDailyResponsesTable;
  insightsDailyContributors: InsightsDailyContributorsTable;
  insightsDailyActive: InsightsDailyActiveTable;
  insightsDailyTerms: InsightsDailyTermsTable;
  insightsMonthlyContributors: Omit<InsightsDailyContributorsTable, "day"> & { month: string };
  insightsMonthlyActive: Omit<InsightsDailyActiveTable, "day"> & { month: string };
  insightsMonthlyTerms: Omit<InsightsDailyTermsTable, "day"> & { month: string };
}

/** A rolled-up day: the time zone and locale it was cut and stemmed with, and its community-wide counts. */
export interface InsightsDaysTable {
  communityId: number;
  /** YYYY-MM-DD in `timezone`. */
  day: string;
  timezone: string;
  locale: string;
  searches: number;
  suggestionsShown: number;
  deflected: number;
  newMembers: number;
  computedAt: number;
}

/** The counts of the topics created on the day in one category (0: none), and of the answers posted on it. */
export interface InsightsDailyTable {
  communityId: number;
  day: string;
  categoryId: number;
  question: number;
  problem: number;
  idea: number;
  praise: number;
  answered: number;
  unanswered: number;
  solved: number;
  abandoned: number;
  escalated: number;
  routed: number;
  answeredByRouted: number;
  staffAnswers: number;
  memberAnswers: number;
}

export interface InsightsDailyResponsesTable {
  communityId: number;
  day: string;
  categoryId: number;
  topicId: number;
  responseMs: number;
}

export interface InsightsDailyContributorsTable {
  communityId: number;
  day: string;
  categoryId: number;
  userId: number;
  answers: number;
  accepted: number;
}

export interface InsightsDailyActiveTable {
  communityId: number;
  day: string;
  categoryId: number;
  userId: number;
}

export interface InsightsDailyTermsTable {
  communityId: number;
  day: string;
  categoryId: number;
  type: "tag" | "word";
  term: string;
  label: string;
  firstAt: number;
  topics: number;
}

/* The editor's image attachments (migration 022). */
export interface Database {
  attachments: AttachmentsTable;
}

/** An image a member uploaded in a community's editor; the file is in the upload storage under `key`. */
export interface AttachmentsTable {
  id: Generated<number>;
  communityId: number;
  ownerId: number;
  key: string;
  width: number;
  height: number;
  bytes: number;
  createdAt: number;
}

/** A topic one of whose posts shows the attached image `key` (migration 046). */
export interface AttachmentTopicsTable {
  key: string;
  topicId: number;
}

export interface Database {
  attachmentTopics: AttachmentTopicsTable;
}

/* How often each topic was read, flushed in batches (migration 021). */
export interface Database {
  topicViews: TopicViewsTable;
}

export interface TopicViewsTable {
  topicId: number;
  viewCount: Generated<number>;
}
