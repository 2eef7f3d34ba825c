import type { FastifyInstance, FastifyRequest } from "fastify";
import multipart from "@fastify/multipart";
import { z } from "zod";
import type { Deps } from "../core/deps.ts";
import { validationFailed } from "../core/errors.ts";
import { LIMITS } from "../core/config.ts";
import { communityAccess } from "../communities/index.ts";
import { defineApi, registerApiRoutes, slugParams, type AnyApiRoute } from "../http/api.ts";
import { readMultipart } from "../http/multipart.ts";
import { registerPages, type PageRoute } from "../web/page-route.ts";
import { ATTACHMENT_FIELD, ATTACHMENT_LIMITS } from "./editor.images.ts";
import { previewMarkdown, uploadAttachment } from "./editor.service.ts";
import { uploadFormImage } from "./editor.forms.ts";

/** The request of a Markdown preview. */
export const previewBody = z.object({
  /** The text as typed in the editor. */
  body: z.string().max(LIMITS.bodyMax, `Use at most ${LIMITS.bodyMax} characters.`),
});

/** The editor's JSON endpoint: a post's text rendered as it will be saved. */
export function editorRoutes(deps: Deps): AnyApiRoute[] {
  return [
    defineApi({
      method: "POST",
      path: "/communities/:slug/preview",
      tag: "topics",
      summary: "Render a post's Markdown as it will appear (sanitized like saved posts): {html}",
      auth: "required",
      params: slugParams,
      body: previewBody,
      handler: async ({ actor, params, body }) =>
        previewMarkdown(deps, await communityAccess(deps, { slug: params.slug }, actor), body.body),
    }),
  ];
}

/** The form's image, when one was chosen (an empty file field is none). */
async function readEditorBody(req: FastifyRequest) {
  const { file, fields } = await readMultipart(req, ATTACHMENT_FIELD);
  return { file: file && (file.bytes.length > 0 || file.truncated) ? file : null, fields };
}

export function attachmentApiRoutes(deps: Deps): AnyApiRoute[] {
  return [
    defineApi({
      method: "POST",
      path: "/communities/:slug/attachments",
      tag: "topics",
      summary:
        "Attach an image to a post: multipart/form-data, field `image` (JPEG, PNG, WebP or GIF, at most 8 MB, " +
        "40 MP); re-encoded without metadata. Answers the image's address and the Markdown to insert.",
      auth: "required",
      status: 201,
      params: slugParams,
      bodyLimit: ATTACHMENT_LIMITS.bytes + 64 * 1024,
      fileField: ATTACHMENT_FIELD,
      handler: async ({ actor, params, req }) => {
        if (!req.isMultipart())
          throw validationFailed({ image: "Send the image as multipart/form-data, field image." });
        const access = await communityAccess(deps, { slug: params.slug }, actor);
        const { file } = await readEditorBody(req);
        if (!file) throw validationFailed({ image: "Choose an image." });
        return { attachment: await uploadAttachment(deps, access, file) };
      },
    }),
  ];
}

/**
 * Names the cookie that tells the browser's editor (editor.js) a post went through: set on an editor
 * form's success (its 303 redirect), valued with the form's address. The script drops the draft of
 * a form sent from its tab only when this cookie names that form, so a send that ends anywhere else
 * (an expired CSRF token, a topic gone meanwhile, a rate limit, a server error) keeps the text typed.
 * Read by the script, so not httpOnly; it says nothing but an address the member just posted to.
 */
const DRAFT_SENT_COOKIE = "cs_draft_sent";

/**
 * The scope that parses multipart bodies: the attachment API, and the forms that carry the
 * editor (`forms`), so that without JavaScript an image picked in the form is uploaded with the
 * post. Such a form's fields become its body as usual; its image is stored (after the CSRF check, in
 * the community the post goes to) and its Markdown added to the end of the text before the form's
 * own pipeline runs; a refused image brings the form back with its text kept (editor.forms.ts).
 */
export function editorUploads(deps: Deps, forms: readonly PageRoute[]) {
  return async (scope: FastifyInstance) => {
    await scope.register(multipart, {
      throwFileSizeLimit: false,
      // A post's body in bytes: up to four per character.
      limits: { fileSize: ATTACHMENT_LIMITS.bytes, files: 1, fields: 20, fieldSize: 4 * LIMITS.bodyMax + 1024 },
    });
    registerApiRoutes(scope, attachmentApiRoutes(deps));
    scope.addHook("preHandler", async (req) => {
      if (req.url.startsWith("/api/") || !req.isMultipart()) return;
      const { file, fields } = await readEditorBody(req);
      req.body = fields;
      if (file) await uploadFormImage(deps, req, file, fields);
    });
    scope.addHook("onSend", async (req, reply) => {
      if (req.method !== "POST" || reply.statusCode !== 303 || req.url.startsWith("/api/")) return;
      const path = req.url.split("?")[0];
      reply.setCookie(DRAFT_SENT_COOKIE, path, { path: "/", sameSite: "lax", secure: deps.config.secureCookies });
    });
    registerPages(scope, forms);
  };
}
