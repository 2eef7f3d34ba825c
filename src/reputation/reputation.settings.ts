import { z, type ZodType } from "zod";
import type { Db } from "../db/database.ts";
import { KUDOS_THRESHOLDS, type KudosPrivilege } from "../communities/privileges.ts";

/**
 * Per-community settings, one JSON document per domain section ("reputation", "moderation").
 * What is stored is merged over the defaults, so a community only keeps what it changed and new
 * settings get their default everywhere.
 */
type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === "object" && v !== null && !Array.isArray(v);

/** Objects merge key by key; arrays and values replace. */
export function mergeSettings<T>(base: T, patch: unknown): T {
  if (!isPlain(base) || !isPlain(patch)) return (patch === undefined ? base : patch) as T;
  const out: Plain = { ...base };
  for (const [key, value] of Object.entries(patch)) if (value !== undefined) out[key] = mergeSettings(out[key], value);
  return out as T;
}

export async function readSection<T>(
  db: Db,
  communityId: number,
  section: string,
  schema: ZodType<T>,
  defaults: T,
): Promise<T> {
  const row = await db
    .selectFrom("communitySettings")
    .select("value")
    .where("communityId", "=", communityId)
    .where("section", "=", section)
    .executeTakeFirst();
  if (!row) return defaults;
  const parsed = schema.safeParse(mergeSettings(defaults, JSON.parse(row.value)));
  return parsed.success ? parsed.data : defaults;
}

export async function writeSection(
  db: Db,
  communityId: number,
  section: string,
  value: unknown,
  now: number,
): Promise<void> {
  await db
    .insertInto("communitySettings")
    .values({ communityId, section, value: JSON.stringify(value), updatedAt: now })
    .onConflict((oc) =>
      oc.columns(["communityId", "section"]).doUpdateSet({ value: JSON.stringify(value), updatedAt: now }),
    )
    .execute();
}

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
  .refine((ranks) => ranks[0]?.minKudos === 0, { message: "The first rank starts at 0 kudos." })
  .refine((ranks) => ranks.every((r, i) => i === 0 || r.minKudos > ranks[i - 1].minKudos), {
    message: "Ranks must go up in kudos.",
  });

const thresholdsSchema = z.object(
  Object.fromEntries(Object.keys(KUDOS_THRESHOLDS).map((key) => [key, kudos])) as Record<KudosPrivilege, typeof kudos>,
);

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
  /** Accounts registered from the same IP address within this many hours are linked: they cannot vote for each other. */
  linkedAccountHours: z
    .number()
    .int()
    .min(0)
    .max(24 * 365),
  votingRing: votingRingSchema,
});

export type ReputationSettings = z.infer<typeof reputationSettingsSchema>;
export type Rank = z.infer<typeof rankSchema>;

/** Names of the default ranks; pages translate these (rank.newcomer, ...), custom names are shown as written. */
export const DEFAULT_RANK_NAMES = ["Newcomer", "Helper", "Expert", "Legend"] as const;

const DEFAULT_REPUTATION_SETTINGS: ReputationSettings = {
  points: {
    replyUpvoted: 10,
    replyDownvoted: -2,
    answerAccepted: 15,
    topicUpvoted: 5,
    topicDownvoted: 0,
    officialBonus: 0,
  },
  dailyVoteCap: 200,
  ranks: [
    { name: "Newcomer", minKudos: 0 },
    { name: "Helper", minKudos: 50 },
    { name: "Expert", minKudos: 500 },
    { name: "Legend", minKudos: 2000 },
  ],
  thresholds: { ...KUDOS_THRESHOLDS },
  linkedAccountHours: 24,
  votingRing: { maxUpvotesPerAuthor: 5, windowDays: 7 },
};

/** A change to some settings; objects may be partial, lists (ranks) are replaced whole. */
export const reputationSettingsPatch = z.object({
  points: pointsSchema.partial().optional(),
  dailyVoteCap: kudos.optional(),
  ranks: ranksSchema.optional(),
  thresholds: thresholdsSchema.partial().optional(),
  linkedAccountHours: reputationSettingsSchema.shape.linkedAccountHours.optional(),
  votingRing: votingRingSchema.partial().optional(),
});

export type ReputationSettingsPatch = z.infer<typeof reputationSettingsPatch>;

export function reputationSettings(db: Db, communityId: number): Promise<ReputationSettings> {
  return readSection(db, communityId, "reputation", reputationSettingsSchema, DEFAULT_REPUTATION_SETTINGS);
}

/** The rank for some kudos: the highest whose threshold is reached (the first for negative kudos). */
export function rankFor(ranks: readonly Rank[], kudos: number): { level: number; name: string } {
  let level = 0;
  for (const [i, rank] of ranks.entries()) if (kudos >= rank.minKudos) level = i;
  return { level, name: ranks[level].name };
}
