import type { FastifyInstance, FastifyRequest } from "fastify";
import multipart from "@fastify/multipart";
import type { Deps } from "../core/deps.ts";
import { validationFailed } from "../core/errors.ts";
import { defineApi, registerApiRoutes, type AnyApiRoute } from "../http/api.ts";
import { registerPages, type PageRoute } from "../web/page-route.ts";
import { AVATAR_LIMITS, AVATAR_RATE_LIMIT, setAvatar, storeAvatarImage } from "./accounts.avatars.ts";
import { meResponse } from "./accounts.me.routes.ts";
import { readMultipart } from "../http/multipart.ts";
import { hitRateLimit } from "../lib/rate-limit.ts";

/** The avatar upload: multipart, in a scope of its own (the rest of the app takes JSON and urlencoded forms). */

export interface AvatarUpload {
  bytes: Buffer;
  /** Cut by the parser at the size limit. */
  truncated: boolean;
  /** The text fields that came with it (the page form's CSRF token). */
  fields: Record<string, string>;
}

/** The form field of the avatar's file. */
const AVATAR_FIELD = "avatar";

/** Reads the multipart body: the file of field `avatar`, and the text fields. */
export async function readAvatarUpload(req: FastifyRequest): Promise<AvatarUpload> {
  if (!req.isMultipart()) throw validationFailed({ avatar: "Send the image as multipart/form-data, field avatar." });
  const { file, fields } = await readMultipart(req, AVATAR_FIELD);
  return { bytes: file?.bytes ?? Buffer.alloc(0), truncated: file?.truncated ?? false, fields };
}

/**
 * Stores an upload as the member's avatar (422 on `avatar` for anything but a reasonable image;
 * 429 past AVATAR_RATE_LIMIT, counted before decoding, which is the costly part).
 */
export async function saveAvatarUpload(deps: Deps, userId: number, upload: AvatarUpload): Promise<void> {
  await hitRateLimit(deps.db, `avatar:${userId}`, AVATAR_RATE_LIMIT, deps.clock.now());
  const stem = await storeAvatarImage(deps.config, upload.bytes, upload.truncated);
  await setAvatar(deps, userId, stem);
}

export function avatarApiRoutes(deps: Deps): AnyApiRoute[] {
  return [
    defineApi({
      method: "PUT",
      path: "/me/avatar",
      tag: "accounts",
      summary: "Upload an avatar: multipart/form-data, field `avatar` (JPEG, PNG, WebP or GIF, at most 5 MB, 25 MP)",
      auth: "required",
      bodyLimit: AVATAR_LIMITS.bytes + 64 * 1024,
      fileField: AVATAR_FIELD,
      handler: async ({ actor, req }) => {
        await saveAvatarUpload(deps, actor.id, await readAvatarUpload(req));
        return meResponse(deps, actor.id);
      },
    }),
  ];
}

/** The scope that parses multipart bodies for the avatar's API route and page form. */
export function avatarUploads(deps: Deps, pages: readonly PageRoute[]) {
  return async (scope: FastifyInstance) => {
    await scope.register(multipart, {
      throwFileSizeLimit: false,
      limits: { fileSize: AVATAR_LIMITS.bytes, files: 1, fields: 5, fieldSize: 1000 },
    });
    registerApiRoutes(scope, avatarApiRoutes(deps));
    registerPages(scope, pages);
  };
}
