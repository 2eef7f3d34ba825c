import type { Actor, Deps } from "../core/deps.ts";
import type { VoteTarget } from "../db/schema.ts";
import { requirePrivilege } from "../access/privileges.ts";
import { recordAudit } from "../audit/audit.ts";
import { transaction } from "../core/transaction.ts";
import { lockRows } from "../db/row-locks.ts";
import { redactRevision } from "../topics/index.ts";
import { loadPost } from "./moderation.posts.ts";

/**
 * A moderator erases a past version of a post's edit history (personal data posted by mistake):
 * its text is gone from the database, the API and the history page; the audit log keeps who
 * redacted which version, when and why.
 */
export async function redactVersion(
  deps: Deps,
  actor: Actor,
  target: { type: VoteTarget; id: number; version: number },
  reason: string,
) {
  const { post, access } = await loadPost(deps, target.type, target.id, actor);
  requirePrivilege(access, "post.redact", "Only moderators can redact the edit history.");
  await transaction(deps, async (tx) => {
    // Under the post's row lock (the topic's, then the reply's, as moderators take them), like its
    // edits: of two redactions of one version at once the second sees the first and gets 409.
    await lockRows(tx, "topics", [post.topicId]);
    if (target.type === "reply") await lockRows(tx, "replies", [target.id]);
    await redactRevision(tx, target, target.version, actor.id);
    await recordAudit(tx, {
      communityId: post.communityId,
      actorId: actor.id,
      action: "revision.redact",
      targetType: target.type,
      targetId: target.id,
      details: { version: target.version, reason },
    });
  });
  return { ...target, redacted: true };
}
