import type { Deps } from "../core/deps.ts";
import type { Tx } from "../core/transaction.ts";
import type { CommunityAccess } from "../access/access.ts";
import type { ModerationState, PostType, ReviewReason, VoteTarget } from "../db/schema.ts";
import type { Explanation } from "../core/errors.ts";

/**
 * Decisions other domains take inside the use cases of topics, where an event after commit
 * would be too late: whether a post may appear (moderation), whether a vote counts and what it
 * earns (reputation). The composition root installs them; topics never imports those domains.
 */

/** A post as screening sees it. */
export interface Submission {
  type: PostType;
  /** Title and body as written (for topics both). */
  text: string;
  /** The rendered body: links and images are counted here, after Markdown. */
  html: string;
}

export interface Screening {
  state: Extract<ModerationState, "visible" | "pending">;
  review: { reason: Extract<ReviewReason, "first_post" | "spam">; details: { signals: string[] } } | null;
}

export interface PostScreening {
  /** Before saving: refuses the post (throws) or says whether it appears now or waits for review. */
  screen(deps: Pick<Deps, "db" | "clock">, access: CommunityAccess, submission: Submission): Promise<Screening>;
  /** Links and images in an edit need the same privileges as in a new post (throws otherwise). */
  checkMarkup(access: CommunityAccess, html: string): void;
  /**
   * An edit's new text: a review when it reads as spam (the post is then hidden until a moderator
   * looks), else null. A benign post edited into an advert must not escape what a new post faces.
   */
  screenEdit(
    deps: Pick<Deps, "db" | "clock">,
    access: CommunityAccess,
    submission: Submission,
  ): Promise<Screening["review"]>;
  /**
   * In the transaction that saves a post, or an edit of its body: refuses (throws) what can no longer be saved now
   * that its locks are held (an attached image removed since `screen`), and records what the post shows.
   */
  confirm?(tx: Tx, post: { topicId: number; html: string }): Promise<void>;
  /** In the transaction that saved a held post: it goes to the review queue. */
  hold(
    tx: Tx,
    post: { communityId: number; type: PostType; id: number; authorId: number },
    review: NonNullable<Screening["review"]>,
  ): Promise<void>;
}

export interface VoteFacts {
  communityId: number;
  topicId: number;
  type: VoteTarget;
  targetId: number;
  voterId: number;
  authorId: number;
  value: 1 | -1 | 0;
}

export interface AcceptFacts {
  communityId: number;
  topic: { id: number; authorId: number };
  actorId: number;
  previous: { id: number } | null;
  next: { id: number; authorId: number; official: boolean } | null;
  /**
   * A hidden solution restored: it gets back what hiding it took (whoever restores it is not the
   * one who accepted it), nothing more.
   */
  reinstated?: boolean;
}

/** Why a vote does not count: in English for the API, and as a message key for pages. */
export interface VoteRefusal {
  message: string;
  explanation: Explanation;
}

export interface VoteRules {
  /** A refusal, or null; runs inside the vote's transaction so limits hold under concurrency. */
  check(tx: Tx, vote: VoteFacts): Promise<VoteRefusal | null>;
  /** What must commit with the vote (the kudos ledger). */
  record(tx: Tx, vote: VoteFacts): Promise<void>;
  /** The same for a solution accepted or withdrawn. */
  recordAccept(tx: Tx, change: AcceptFacts): Promise<void>;
}

export interface TopicExtensions {
  screening: PostScreening;
  votes: VoteRules;
}

/** Without a screening or vote rules installed, every post appears and every vote counts. */
let installed: TopicExtensions = {
  screening: {
    screen: async () => ({ state: "visible", review: null }),
    checkMarkup: () => undefined,
    screenEdit: async () => null,
    hold: async () => undefined,
  },
  votes: { check: async () => null, record: async () => undefined, recordAccept: async () => undefined },
};

export function installTopicExtensions(extensions: TopicExtensions): void {
  installed = extensions;
}

export function topicExtensions(): TopicExtensions {
  return installed;
}

/**
 * The installed screening's check of a text written into a topic that is no new post (an edit, a
 * poll's options): other domains screen such text through topics, as moderation is never theirs to
 * import.
 */
export const screenEdit: PostScreening["screenEdit"] = (deps, access, submission) =>
  installed.screening.screenEdit(deps, access, submission);
