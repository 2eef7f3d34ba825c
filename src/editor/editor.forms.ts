import type { FastifyRequest } from "fastify";
import type { Actor, Deps } from "../core/deps.ts";
import { AppError, forbidden, unauthorized } from "../core/errors.ts";
import { communityAccess, type LoadedAccess } from "../communities/index.ts";
import { slugParams } from "../http/api.ts";
import { replyHere, topicAbilities, topicHere, topicParams } from "../topics/index.ts";
import { CSRF_FIELD, csrfTokenMatches } from "../http/csrf.ts";
import { can } from "../access/privileges.ts";
import { assertNotSuspended } from "../access/access.ts";
import type { MultipartFile } from "../http/multipart.ts";
import { pathParams } from "../web/page.ts";
import { ATTACHMENT_FIELD } from "./editor.images.ts";
import { uploadAttachment } from "./editor.service.ts";

/**
 * The image picked in an editor form sent without JavaScript (`/c/:slug/new`, a reply, an edit):
 * checked, counted and stored in the community the post goes to.
 */

/**
 * The community an editor form's post goes to, and the member's access there: a reply or an edit
 * goes to its topic's community, and under another community's address (`/c/other/t/5/reply`)
 * the form is not found (404), as its route answers, before anything is stored; so is one on a post
 * the member may not see (a topic in a private category, a hidden or deleted topic or reply), read
 * by the loaders the forms' own routes use: a moderator editing a held post takes the image as the
 * edit goes through. An edit of someone else's post, by a member who may not edit it, is refused
 * (403) before too, and so is a reply where the member may not reply (replyAccess). A new topic
 * goes to the community of `:slug`.
 */
async function postAccess(deps: Deps, req: FastifyRequest): Promise<LoadedAccess> {
  const route = req.routeOptions.url ?? "";
  const onTopic = route.startsWith("/c/:slug/t/:id/");
  if (!onTopic && !route.startsWith("/c/:slug/r/:id/"))
    return communityAccess(deps, { slug: pathParams(slugParams, req.params).slug }, req.actor);
  // Read as the form's own route reads it: an id no row can have (past the id column's range) is not found.
  const params = pathParams(topicParams, req.params);
  const actor = req.actor;
  // Signed out, the upload refuses the visitor (401) whatever the topic.
  if (!actor) throw unauthorized();
  if (route.endsWith("/reply")) return replyAccess(deps, params, actor);
  const post = onTopic
    ? await topicHere(deps)({ params, actor }).then(({ row, access }) => ({ authorId: row.authorId, access }))
    : await replyHere(deps)({ params, actor }).then(({ reply, access }) => ({ authorId: reply.authorId, access }));
  if (!can(post.access, onTopic ? "topic.edit" : "reply.edit", post.authorId))
    throw forbidden("You can only edit your own posts.");
  return post.access;
}

/**
 * A reply's image goes where the reply form takes the reply: a topic merged while the member typed is
 * the one it went into (the form comes back there with the text, the image in it, to send), and where
 * the member may not reply (the topic locked meanwhile, a category only staff answer) it is refused
 * (403, as the reply would be) before it is stored or counted. A suspension is told first, as the upload tells it.
 */
async function replyAccess(deps: Deps, params: { slug: string; id: number }, actor: Actor): Promise<LoadedAccess> {
  const { row, access } = await topicHere(deps, { followMerge: true })({ params, actor });
  assertNotSuspended(access);
  if (!topicAbilities(access, row).reply)
    throw new AppError("forbidden", "You cannot reply to this topic now.", undefined, { key: "reply.refused" });
  return access;
}

/** The form's message for a refused image: by the file field, or for the whole form past the allowance. */
function formRefusal(error: AppError): AppError {
  // Past the day's allowance, or too many images sent in a short time (that refusal says so itself).
  if (error.code === "rate_limited")
    return new AppError(error.code, error.message, undefined, error.explanation ?? { key: "editor.uploadAllowance" });
  // A refusal that explains itself (e.g. "log in with single sign-on first") keeps its words.
  const explanation =
    error.code === "forbidden"
      ? (error.explanation ?? { key: "editor.uploadForbidden" })
      : { key: "editor.uploadInvalid" };
  const fields = { [ATTACHMENT_FIELD]: error.fields?.[ATTACHMENT_FIELD] ?? error.message };
  return new AppError(error.code, error.message, fields, explanation);
}

/** What a form's refused image answers: the file, the allowance, the member's standing. */
const REFUSED = new Set(["validation_failed", "rate_limited", "forbidden"]);

/**
 * Stores the form's image (after the CSRF check) and adds its Markdown to the end of the text.
 * A refused image is recorded on the request (`uploadRefusal`): the form comes back with its text
 * kept and the message, with the refusal's status, and nothing is posted (web/forms.ts).
 */
export async function uploadFormImage(
  deps: Deps,
  req: FastifyRequest,
  file: MultipartFile,
  fields: Record<string, string>,
): Promise<void> {
  if (!csrfTokenMatches(req, fields[CSRF_FIELD])) throw forbidden("Missing CSRF protection.");
  try {
    const access = await postAccess(deps, req);
    const attachment = await uploadAttachment(deps, access, file);
    fields.body = `${(fields.body ?? "").trimEnd()}\n\n${attachment.markdown}`.trimStart();
  } catch (error) {
    if (!(error instanceof AppError) || !REFUSED.has(error.code)) throw error;
    req.uploadRefusal = formRefusal(error);
  }
}
