import { z } from "zod";
import { readSection } from "../db/settings.js";
const count = (max) => z.number().int().min(0).max(max);
const spamSchema = z.object({
    /** More links than this in one post is a strong spam signal. */
    maxLinks: count(100),
    /** The same text posted this many times in a day is a spam signal (twice as many: a strong one). */
    repeatLimit: z.number().int().min(2).max(100),
    /** Words or phrases that mark a post as spam (case-insensitive). */
    blockedPhrases: z.array(z.string().trim().min(2).max(100)).max(200),
});
export const moderationSettingsSchema = z.object({
    /** A member's first N posts in the community wait for a moderator's approval; 0 turns it off. */
    approveFirstPosts: count(20),
    /** Open flags from trusted members that hide a post until it is reviewed. */
    flagsToHide: z.number().int().min(1).max(100),
    /** Kudos from which a member's flags are trusted (champions, staff and moderators always are). */
    trustedFlaggerKudos: count(10_000_000),
    /** Topics one member may post per hour in the community; 0: no limit beyond the site's. */
    topicsPerHour: count(10_000),
    /** Replies and comments one member may post per hour in the community; 0: no limit beyond the site's. */
    repliesPerHour: count(10_000),
    spam: spamSchema,
});
export const DEFAULT_MODERATION_SETTINGS = {
    approveFirstPosts: 0,
    flagsToHide: 3,
    trustedFlaggerKudos: 100,
    topicsPerHour: 20,
    repliesPerHour: 120,
    spam: {
        maxLinks: 3,
        repeatLimit: 3,
        blockedPhrases: [
            "viagra",
            "casino bonus",
            "crypto giveaway",
            "double your bitcoin",
            "payday loan",
            "buy followers",
            "work from home and earn",
            "whatsapp me at",
        ],
    },
};
export const moderationSettingsPatch = z.object({
    approveFirstPosts: moderationSettingsSchema.shape.approveFirstPosts.optional(),
    flagsToHide: moderationSettingsSchema.shape.flagsToHide.optional(),
    trustedFlaggerKudos: moderationSettingsSchema.shape.trustedFlaggerKudos.optional(),
    topicsPerHour: moderationSettingsSchema.shape.topicsPerHour.optional(),
    repliesPerHour: moderationSettingsSchema.shape.repliesPerHour.optional(),
    spam: spamSchema.partial().optional(),
});
export function moderationSettings(db, communityId) {
    return readSection(db, communityId, "moderation", moderationSettingsSchema, DEFAULT_MODERATION_SETTINGS);
}
