import type { Deps } from "../core/deps.ts";
import type { CommunityAccess } from "../access/access.ts";
import { AppError } from "../core/errors.ts";
import type { PostScreening } from "../topics/index.ts";

/**
 * How a poll's options are screened: moderation's screening of posts, installed by the composition
 * root as into topics (polls never imports moderation); without it, every option passes. Its check
 * of an edit's text is the one that fits: the spam signals of a post's text (blocked phrases, links),
 * the same exemptions (the team, champions), and none of what counts the author's posts (hourly
 * limits, repeats, first posts): a poll is no further post.
 */
export type PollScreening = Pick<PostScreening, "screenEdit">;

let installed: PollScreening = { screenEdit: async () => null };

export function installPollScreening(screening: PollScreening): void {
  installed = screening;
}

/**
 * Refuses (422, by the `options` field, naming which) a poll whose option reads as spam. Such a
 * post waits in the review queue; a poll has none, and would show on its topic at once, so it is
 * refused instead and its author rewords it. Each option alone: a phrase across two is none.
 * Options show as plain text, never rendered as Markdown: they hold no link to count.
 */
export async function screenPollOptions(
  deps: Pick<Deps, "db" | "clock">,
  access: CommunityAccess,
  options: readonly string[],
): Promise<void> {
  const reviews = await Promise.all(
    options.map((text) => installed.screenEdit(deps, access, { type: "topic", text, html: "" })),
  );
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
