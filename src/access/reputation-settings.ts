import { z } from "zod";
import type { Db } from "../db/database.ts";
import { defaultThresholds } from "./privileges.ts";
import { DEFAULT_RANKS } from "./trust-levels.ts";
import { parseSection, readSection } from "../db/settings.ts";

const points = z.number().int().min(-1000).max(1000);
const kudos = z.number().int().min(0).max(10_000_000);

const pointsSchema = z.object({
  /** Kudos to a reply's author per upvote. */
  replyUpvoted: points,
  replyDownvoted: points,
  /** Kudos to the author of the accepted answer (never for accepting one's own reply). */
  answerAccepted: points,
  topicUpvoted: points,
  topicDownvoted: points,
  /** Extra kudos when an official (staff) reply is accepted. */
  officialBonus: points,
});

const rankSchema = z.object({ name: z.string().trim().min(1).max(40), minKudos: kudos });

const ranksSchema = z
  .array(rankSchema)
  .min(1)
  .max(20)
  .refine((ranks) => ranks[0]?.minKudos === 0, {
    message: "The first rank starts at 0 kudos.",
    params: { messageKey: "rep.error.firstRankAtZero" },
  })
  .refine((ranks) => ranks.every((r, i) => i === 0 || r.minKudos > ranks[i - 1].minKudos), {
    message: "Ranks must go up in kudos.",
    params: { messageKey: "rep.error.ranksGoUp" },
  });

/** Kudos per level-gated privilege; the names are those of the installed privilege registry. */
const thresholdsSchema = z
  .record(z.string(), kudos)
  .refine((thresholds) => Object.keys(thresholds).every((name) => Object.hasOwn(defaultThresholds(), name)), {
    message: "Unknown privilege.",
    params: { messageKey: "rep.error.unknownPrivilege" },
  });

const votingRingSchema = z.object({
  /** Upvotes a member may give one other member's posts within the window; more are refused. */
  maxUpvotesPerAuthor: z.number().int().min(1).max(1000),
  windowDays: z.number().int().min(1).max(365),
});

export const reputationSettingsSchema = z.object({
  points: pointsSchema,
  /** Most kudos a member earns from votes per UTC day. */
  dailyVoteCap: kudos,
  ranks: ranksSchema,
  /** Kudos needed for each level-gated privilege. */
  thresholds: thresholdsSchema,
  /**
   * Accounts registered from the same IP address within this many hours are linked: they cannot vote for each other.
   */
  linkedAccountHours: z
    .number()
    .int()
    .min(0)
    .max(24 * 365),
  votingRing: votingRingSchema,
});

export type ReputationSettings = z.infer<typeof reputationSettingsSchema>;
/** The defaults; thresholds come from the privilege registry, installed at start. */
const defaultSettings = (): ReputationSettings => ({
  points: {
    replyUpvoted: 10,
    replyDownvoted: -2,
    answerAccepted: 15,
    topicUpvoted: 5,
    topicDownvoted: 0,
    officialBonus: 0,
  },
  dailyVoteCap: 200,
  ranks: DEFAULT_RANKS.map((rank) => ({ ...rank })),
  thresholds: { ...defaultThresholds() },
  linkedAccountHours: 24,
  votingRing: { maxUpvotesPerAuthor: 5, windowDays: 7 },
});

/** A change to some settings; objects may be partial, lists (ranks) are replaced whole. */
export const reputationSettingsPatch = z.object({
  points: pointsSchema.partial().optional(),
  dailyVoteCap: kudos.optional(),
  ranks: ranksSchema.optional(),
  thresholds: thresholdsSchema.optional(),
  linkedAccountHours: reputationSettingsSchema.shape.linkedAccountHours.optional(),
  votingRing: votingRingSchema.partial().optional(),
});

export type ReputationSettingsPatch = z.infer<typeof reputationSettingsPatch>;

export function reputationSettings(db: Db, communityId: number): Promise<ReputationSettings> {
  return readSection(db, communityId, "reputation", reputationSettingsSchema, defaultSettings());
}

/** The same settings from their stored document (null: none stored), read by the same rule. */
export function parseReputationSettings(stored: string | null): ReputationSettings {
  return stored === null ? defaultSettings() : parseSection(stored, reputationSettingsSchema, defaultSettings());
}
