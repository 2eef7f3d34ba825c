import type { Deps } from "../core/deps.ts";
import type { CommunityAccess } from "../access/access.ts";
import { AppError } from "../core/errors.ts";
import { screenEdit } from "../topics/index.ts";

/**
 * Refuses (422, by the `options` field, naming which) a poll whose option reads as spam, by the
 * installed screening's check of an edit's text: the spam signals of a post's text (blocked phrases,
 * links), the same exemptions (the team, champions), and none of what counts the author's posts
 * (hourly limits, repeats, first posts): a poll is no further post. Such a
 * post waits in the review queue; a poll has none, and would show on its topic at once, so it is
 * refused instead and its author rewords it. Each option alone: a phrase across two is none.
 * Options show as plain text, never rendered as Markdown: they hold no link to count.
 */
export async function screenPollOptions(
  deps: Pick<Deps, "db" | "clock">,
  access: CommunityAccess,
  options: readonly string[],
): Promise<void> {
  const reviews = await Promise.all(options.map((text) => screenEdit(deps, access, { type: "topic", text, html: "" })));
  const index = reviews.findIndex((review) => review !== null);
  if (index < 0) return;
  const n = index + 1;
  throw new AppError(
    "validation_failed",
    "Some fields are invalid.",
    { options: `Option ${n} reads as spam: reword it or leave it out.` },
    { key: "poll.optionSpam", params: { n } },
  );
}
