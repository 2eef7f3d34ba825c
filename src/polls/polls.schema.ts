import { z } from "zod";
import { LIMITS } from "../core/config.ts";
import { ONE_LINE } from "../lib/one-line.ts";

export const POLL_OPTIONS_MIN = 2;
export const POLL_OPTIONS_MAX = 10;
export const POLL_OPTION_MAX = 200;

/** Characters that show nothing (zero-width, soft hyphen, fillers), which trim() and NFKC keep. */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\u2800]/gu;

/** An option as readers see it, to compare: "é" as one character or as "e" and an accent; nothing invisible. */
const asSeen = (option: string) => option.normalize("NFKC").replace(INVISIBLE, "").trim().toLowerCase();

export const createPollBody = z.object({
  /** The choices, in order: 2 to 10, each different, each one line (no breaks, control or bidi characters). */
  options: z
    .array(
      z
        .string()
        .trim()
        .min(1, "Write the option.")
        .max(POLL_OPTION_MAX, `Use at most ${POLL_OPTION_MAX} characters.`)
        .refine(...ONE_LINE)
        // One of invisible characters only would be a blank choice.
        .refine((option) => asSeen(option) !== "", {
          message: "Write the option.",
          params: { messageKey: "form.required" },
        }),
    )
    .min(POLL_OPTIONS_MIN, `Give at least ${POLL_OPTIONS_MIN} options.`)
    .max(POLL_OPTIONS_MAX, `Give at most ${POLL_OPTIONS_MAX} options.`)
    .refine((list) => new Set(list.map(asSeen)).size === list.length, {
      message: "Give each option once.",
      params: { messageKey: "poll.optionsOnce" },
    }),
  /** true: members may choose several options; false: one. */
  multiple: z.boolean().default(false),
  /** ISO 8601 time after which nobody votes and everyone sees the results; absent: open until further notice. */
  closesAt: z.iso.datetime({ offset: true, message: "Use an ISO 8601 time, e.g. 2026-06-30T18:00:00Z." }).optional(),
});

export const pollVoteBody = z.object({
  /**
   * The chosen options of this poll: one for a single-choice poll, one or more for a multiple-choice poll; an
   * option named twice counts once.
   */
  optionIds: z.preprocess(
    // Before the limit: a ballot naming one option eleven times chose one option.
    (ids) => (Array.isArray(ids) ? [...new Set(ids)] : ids),
    z
      .array(z.number().int().positive().max(LIMITS.idMax))
      .min(1, "Choose an option.")
      .max(POLL_OPTIONS_MAX, `Choose at most ${POLL_OPTIONS_MAX} options.`),
  ),
});

export type CreatePollInput = z.infer<typeof createPollBody>;
export type PollVoteInput = z.infer<typeof pollVoteBody>;
