import type { Config } from "./config.ts";
import type { Db, Dialect } from "../db/database.ts";
import type { Clock } from "./clock.ts";
import type { LiveHub } from "./live-hub.ts";
import type { WriteWatch } from "../db/database.ts";
import type { PageCache } from "./page-cache.ts";

/** What every use case may depend on; each takes only what it needs from it. */
export interface Deps {
  db: Db;
  dialect: Dialect;
  config: Config;
  clock: Clock;
  /** Every committed write of `db` (from openDatabase); with it, buildApp keeps anonymous pages in a cache. */
  writes?: WriteWatch;
  /** This process's cache of anonymous pages; set by buildApp when `writes` is given. */
  pageCache?: PageCache;
  /** This process's live-event hub; set by buildApp. */
  live?: LiveHub;
  /** Asks this process's job worker to look for due jobs now; absent when no worker runs (tests). */
  wakeJobs?: () => void;
  /**
   * Runs these jobs now, in this process, if no worker took them yet: the deliveries of the events
   * a transaction emitted, right after it commits (see core/transaction.ts). Set by buildApp.
   */
  runJobsNow?: (jobIds: readonly number[]) => Promise<void>;
}

/** The signed-in user making a request. */
export interface Actor {
  id: number;
  name: string;
  email: string;
  isPlatformAdmin: boolean;
  locale: string | null;
  /** The storage key stem of the member's avatar (web/avatar.ts), for the header; null: initials. */
  avatarKey?: string | null;
  /** How the request authenticated; cookie sessions need CSRF protection, tokens do not. */
  via: "session" | "token";
  /**
   * A personal API token's scope: "read" only reads, "write" also changes things as a member,
   * "admin" also acts as the owner's staff, moderator or admin role. Absent: the full account.
   */
  scope?: "read" | "write" | "admin";
}
