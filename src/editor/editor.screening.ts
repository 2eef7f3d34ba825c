import type { Db } from "../db/database.ts";
import { fieldRefused } from "../core/errors.ts";
import { imagesShown } from "../lib/markdown.ts";
import { recordTopicImages } from "../storage/attachment-access.ts";
import { lockAttachmentKey } from "../storage/attachment-keys.ts";
import type { PostScreening } from "../topics/index.ts";

/**
 * A post must not be saved showing an attached image whose files are gone: an image uploaded for a
 * draft kept in the browser (drafts stay there with no end) is swept a day after its upload when no
 * post used it (storage/attachment-orphans.ts), and the post sent later would show a dead address.
 */

/**
 * Refuses (422 on `body`) a post whose attached image no `attachments` row holds, in any community:
 * its files went with the last row. One query for all of the post's images; a post without any costs none.
 */
async function assertAttachedImagesStored(db: Db, keys: string[]): Promise<void> {
  if (!keys.length) return;
  const stored = await db.selectFrom("attachments").select("key").distinct().where("key", "in", keys).execute();
  if (stored.length === keys.length) return;
  throw fieldRefused(
    "body",
    "An attached image is no longer stored (it was not used within a day of its upload): attach it again.",
    "editor.imageGone",
  );
}

/**
 * A screening with the check of attached images, for new posts (topics, replies, comments) and edits alike. First,
 * before the rest: a post refused for its image costs none of the screening's hourly allowance. Then again in the
 * transaction that saves it, under each image's key lock (attachment-keys.ts), which the unused-image sweep takes
 * to delete a row and under which it checks again that no text shows the image: of a post and a sweep at the same
 * moment, either the sweep deletes first and the post is refused, or the post commits first and the sweep keeps it.
 * The transaction also records the post's topic as showing its images: who may fetch them follows the topic's
 * category (storage/attachment-access.ts).
 */
export function keepingAttachedImages(screening: PostScreening): PostScreening {
  return {
    ...screening,
    screen: async (deps, access, submission) => {
      await assertAttachedImagesStored(deps.db, imagesShown(submission.html).keys);
      return screening.screen(deps, access, submission);
    },
    screenEdit: async (deps, access, submission) => {
      await assertAttachedImagesStored(deps.db, imagesShown(submission.html).keys);
      return screening.screenEdit(deps, access, submission);
    },
    confirm: async (tx, post) => {
      await screening.confirm?.(tx, post);
      // In one order, so two posts sharing images never wait for each other crosswise.
      const keys = imagesShown(post.html).keys.sort();
      for (const key of keys) await lockAttachmentKey(tx, key);
      await assertAttachedImagesStored(tx.db, keys);
      await recordTopicImages(tx, post.topicId, keys);
    },
  };
}
