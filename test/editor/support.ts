import assert from "node:assert/strict";
import sharp from "sharp";
import type { TestEnv, TestUser } from "../helpers.ts";
import { multipart } from "../accounts/support.ts";
import { browse } from "../web/web-helpers.ts";

/** A small real JPEG, as a form's file. */
export const jpeg = async (name = "router.jpg") => ({
  name,
  type: "image/jpeg",
  bytes: await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 9, g: 90, b: 200 } } })
    .jpeg()
    .toBuffer(),
});

export type FormFile = { name: string; type: string; bytes: Buffer };

/** A small JPEG of one colour: each colour is its own file (stored files are named by their content). */
export const colouredJpeg = async (background: { r: number; g: number; b: number }, name = "photo.jpg") => ({
  name,
  type: "image/jpeg",
  bytes: await sharp({ create: { width: 64, height: 48, channels: 3, background } })
    .jpeg()
    .toBuffer(),
});

/** Sends an image to the editor's upload endpoint as its script does: with the member's token, or none. */
export async function uploadImage(
  env: TestEnv,
  slug: string,
  user: TestUser | null,
  file: FormFile,
  headers: Record<string, string> = {},
) {
  const body = multipart("image", file);
  const res = await env.app.inject({
    method: "POST",
    url: `/api/v1/communities/${slug}/attachments`,
    headers: { ...body.headers, ...(user ? { authorization: `Bearer ${user.auth.token}` } : {}), ...headers },
    payload: body.payload,
  });
  return { status: res.statusCode, body: JSON.parse(res.body) };
}

export interface StoredAttachment {
  id: number;
  url: string;
  thumbnailUrl: string;
  markdown: string;
  width: number;
  height: number;
}

/** Uploads an image the editor must store (201), and answers the attachment it made. */
export async function attachImage(env: TestEnv, slug: string, user: TestUser, file: FormFile) {
  const res = await uploadImage(env, slug, user, file);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.attachment as StoredAttachment;
}

/** The member's attachments, with their community. */
export const attachmentsOf = (env: TestEnv, userId: number) =>
  env.deps.db.selectFrom("attachments").select(["id", "communityId"]).where("ownerId", "=", userId).execute();

/** A file named and typed as a JPEG that holds text: refused by content. */
export const notAnImage = {
  name: "notes.jpg",
  type: "image/jpeg",
  bytes: Buffer.from("just some text, not a picture"),
};

/** Sends an editor form as the browser does without JavaScript: multipart, the form's CSRF token, one file. */
export async function sendEditorForm(
  env: TestEnv,
  user: TestUser,
  url: string,
  file: { name: string; type: string; bytes: Buffer },
  fields: Record<string, string>,
  headers: Record<string, string> = {},
) {
  const visitor = await browse(env, user);
  const body = multipart("image", file, { _csrf: visitor.csrf, ...fields });
  const res = await env.app.inject({
    method: "POST",
    url,
    headers: { ...body.headers, cookie: visitor.cookie, ...headers },
    payload: body.payload,
  });
  return { status: res.statusCode, body: res.body };
}

/** The community asks for a confirmed email before posting, and the member has not confirmed theirs. */
export async function unconfirmedWhereRequired(env: TestEnv, slug: string, admin: TestUser, member: TestUser) {
  const set = await env.api.patch(
    `/api/v1/communities/${slug}/settings/accounts`,
    { unverifiedMayPost: false },
    admin.auth,
  );
  assert.equal(set.status, 200, JSON.stringify(set.body));
  await env.deps.db.updateTable("users").set({ emailVerifiedAt: null }).where("id", "=", member.id).execute();
}
