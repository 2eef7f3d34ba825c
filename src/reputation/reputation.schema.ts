import { z } from "zod";
import { recordId, slugParams } from "../http/api.ts";
import { tag } from "../topics/index.ts";

const id = (what: string) => recordId(`Unknown ${what}.`);

export const memberParams = slugParams.extend({ userId: id("member") });
export const rewardParams = slugParams.extend({ id: id("reward") });
export const redemptionParams = slugParams.extend({ id: id("redemption") });
export const categoryParams = slugParams.extend({ id: id("category") });

export const PERIODS = ["week", "month", "all"] as const;
export type Period = (typeof PERIODS)[number];

export const leaderboardQuery = z.object({
  /** week and month are the last 7 and 30 days; all is all time. */
  period: z.enum(PERIODS).default("all"),
  /** Only kudos earned in topics with this tag. */
  tag: tag.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const ledgerQuery = z.object({
  /** Entries older than this id (the previous page's nextCursor). */
  before: id("entry").optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export const rewardInput = z.object({
  name: z.string().trim().min(2, "Use at least 2 characters.").max(80),
  description: z.string().trim().max(500).default(""),
  /** Kudos it costs. */
  price: z.number().int().min(1).max(10_000_000),
  /** How many can be redeemed; null or absent: unlimited. */
  stock: z.number().int().min(0).max(1_000_000).nullable().optional(),
  /** What one redemption costs the company, in cents of the insights currency (for the ROI); 0 unless set. */
  valueCents: z.number().int().min(0).max(100_000_000).default(0),
});

export const rewardPatch = z
  .object({
    name: rewardInput.shape.name.optional(),
    description: z.string().trim().max(500).optional(),
    price: rewardInput.shape.price.optional(),
    stock: rewardInput.shape.stock,
    valueCents: rewardInput.shape.valueCents.removeDefault().optional(),
    /** Inactive rewards cannot be redeemed and are hidden from members. */
    active: z.boolean().optional(),
  })
  .refine((v) => Object.values(v).some((value) => value !== undefined), { message: "Nothing to change." });

export const redeemBody = z.object({
  /**
   * Any unique string per intended redemption (also accepted as the Idempotency-Key header): repeating a request with
   * it returns the first redemption.
   */
  idempotencyKey: z.string().trim().min(8).max(100).optional(),
});

export const decideBody = z.object({
  /** Shown to the member. */
  note: z.string().trim().max(500).default(""),
});

export const redemptionsQuery = z.object({
  /** Staff see everyone's; mine=true (or a member) only the caller's. */
  mine: z.enum(["true", "false"]).optional(),
  status: z.enum(["pending", "fulfilled", "rejected"]).optional(),
});

export const championBody = z.object({ champion: z.boolean() });
export const championsOnlyBody = z.object({ championsOnly: z.boolean() });

export type RewardInput = z.infer<typeof rewardInput>;
export type RewardPatch = z.infer<typeof rewardPatch>;
export type LeaderboardInput = z.infer<typeof leaderboardQuery>;
