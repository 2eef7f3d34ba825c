import type { Insertable } from "kysely";
import type { CommentsTable, RepliesTable, TopicsTable, UsersTable } from "../db/schema.ts";
import { LIMITS } from "../core/config.ts";
import { renderMarkdown } from "../lib/markdown.ts";
import { sha256 } from "../lib/crypto.ts";
import { tag as tagRule } from "../topics/index.ts";
import { toOneLine } from "../lib/one-line.ts";
import { htmlToMarkdown } from "./html-markdown.ts";
import { type DumpRow, dumpTime, tagsOf } from "./stackexchange.dump.ts";

/**
 * What one row of a Stack Exchange dump becomes here: pure conversions, no database. Bodies go
 * HTML -> Markdown -> the product's renderer, so imported posts are exactly as safe as typed ones.
 */
export const SE_POST = { question: "1", answer: "2" } as const;
export const SE_VOTE = { up: "2", down: "3", favorite: "5" } as const;
export const SE_LINK_DUPLICATE = "3";

/** The external id of a post's author: their user id, else the name a deleted user left, else nobody. */
export function authorKey(row: DumpRow, idField = "OwnerUserId", nameField = "OwnerDisplayName"): string {
  const id = row[idField];
  if (id && id !== "-1") return id;
  const name = row[nameField]?.trim();
  return name ? `name:${name}` : id === "-1" ? "-1" : "deleted";
}

/**
 * An imported member: a display name and no way to log in (an empty password hash never
 * verifies) until a platform admin gives the account to its owner. The address is unique and
 * can never receive mail (.invalid).
 */
export function importedUser(communityId: number, source: string, key: string, name: string, createdAt: number) {
  return {
    email: `imported-${communityId}-${sha256(`${source}:${key}`).slice(0, 20).toLowerCase()}@import.invalid`,
    name: toOneLine(name).slice(0, LIMITS.nameMax) || "Deleted user",
    passwordHash: "",
    isPlatformAdmin: 0,
    locale: null,
    signupIp: null,
    createdAt,
  } satisfies Omit<Insertable<UsersTable>, "handle">;
}

export const displayNameOf = (key: string, row: DumpRow) =>
  key.startsWith("name:") ? key.slice(5) : key === "deleted" ? "Deleted user" : (row.DisplayName ?? "");

function bodyOf(html: string | undefined) {
  const body = htmlToMarkdown(html ?? "").slice(0, LIMITS.bodyMax) || "…";
  return { body, bodyHtml: renderMarkdown(body) };
}

/** Tags that pass our rules, at most five, lowercase, without repeats. */
export function importedTags(raw: string | undefined): string[] {
  const valid = tagsOf(raw).flatMap((t) => {
    const parsed = tagRule.safeParse(t);
    return parsed.success ? [parsed.data] : [];
  });
  return [...new Set(valid)].slice(0, LIMITS.tagsMax);
}

const timeOf = (row: DumpRow, fallback: number) => dumpTime(row.CreationDate) ?? fallback;

const INT4_MAX = 2 ** 31 - 1;

/** A score as PostgreSQL's integer holds it: truncated, clamped, 0 when it is no number. */
function scoreOf(row: DumpRow): number {
  const score = Math.trunc(Number(row.Score ?? 0)) || 0;
  return Math.min(INT4_MAX, Math.max(-INT4_MAX - 1, score));
}

export function questionValues(row: DumpRow, communityId: number, authorId: number, now: number) {
  const createdAt = timeOf(row, now);
  const tags = importedTags(row.Tags);
  return {
    tags,
    values: {
      communityId,
      categoryId: null,
      authorId,
      kind: "question",
      title: toOneLine(row.Title ?? "").slice(0, LIMITS.titleMax) || `Question ${row.Id}`,
      ...bodyOf(row.Body),
      tags: JSON.stringify(tags),
      score: scoreOf(row),
      replyCount: 0,
      followerCount: 0,
      acceptedReplyId: null,
      createdAt,
      lastActivityAt: dumpTime(row.LastActivityDate) ?? createdAt,
      editedAt: dumpTime(row.LastEditDate),
    } satisfies Insertable<TopicsTable>,
  };
}

export function answerValues(row: DumpRow, topicId: number, authorId: number, now: number) {
  return {
    topicId,
    authorId,
    ...bodyOf(row.Body),
    official: 0,
    score: scoreOf(row),
    createdAt: timeOf(row, now),
    editedAt: dumpTime(row.LastEditDate),
  } satisfies Insertable<RepliesTable>;
}

/**
 * Comments are plain text with a little Markdown on Stack Exchange: rendered as Markdown here.
 * `on`: the answer's reply, or the question's topic (a comment on the question itself).
 */
export function commentValues(
  row: DumpRow,
  on: { replyId: number } | { topicId: number },
  authorId: number,
  now: number,
) {
  const body = (row.Text ?? "").trim().slice(0, LIMITS.commentMax) || "…";
  return {
    replyId: "replyId" in on ? on.replyId : null,
    topicId: "topicId" in on ? on.topicId : null,
    authorId,
    body,
    bodyHtml: renderMarkdown(body),
    createdAt: timeOf(row, now),
  } satisfies Insertable<CommentsTable>;
}

/** The public address of a post on its site (the licence asks for a link to it). */
export const postUrl = (site: string, id: string, type: "q" | "a" = "q") => `https://${site}/${type}/${id}`;
