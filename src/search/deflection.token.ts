import crypto from "node:crypto";
import type { Db } from "../db/database.ts";
import { sign, signingSecret, verifySignature } from "../lib/signing.ts";

/**
 * Proof that a deflection event comes from a real visit: every search and every list of similar
 * questions carries a token signed by the server, naming the community, what was shown (a search
 * or suggestions), a hash of the query and the topics and articles listed. An event must echo it
 * before it expires, and may open only something the token lists. Nothing is stored: the token is
 * checked by its signature, so anonymous searches stay free of writes.
 */
/** The similar-questions response carries its token in this header (its body is a plain array). */
export const DEFLECTION_TOKEN_HEADER = "x-deflection-token";
export const DEFLECTION_TOKEN_TTL_MS = 2 * 60 * 60_000;
/** A token from a moment later than now by more than this is refused (clocks of several instances). */
const CLOCK_SKEW_MS = 60_000;
const PURPOSE = "deflection";

export type ShownKind = "search" | "suggestions";

export interface ShownList {
  communityId: number;
  kind: ShownKind;
  query: string;
  /** What was listed: "t<topicId>" and "a<articleId>". */
  items: readonly { topicId?: number | null; articleId?: number | null }[];
}

export interface DeflectionToken {
  /** The start of its signature (128 bits): tells one token from another without keeping it whole. */
  id: string;
  communityId: number;
  kind: ShownKind;
  /** 16 hex digits of the query's SHA-256: the same words give the same hash. */
  queryHash: string;
  issuedAt: number;
  topicIds: Set<number>;
  articleIds: Set<number>;
}

const queryHashOf = (query: string) =>
  crypto.createHash("sha256").update(query.trim().toLowerCase().replace(/\s+/g, " ")).digest("hex").slice(0, 16);

/** The topics and articles of a list of results or suggestions, as a token names them. */
export const shownItems = (list: { topic?: { id: number } | null; article?: { id: number } | null }[]) =>
  list.map((item) => ({ topicId: item.topic?.id ?? null, articleId: item.article?.id ?? null }));

const itemKey = (item: ShownList["items"][number]) =>
  item.articleId ? `a${item.articleId}` : item.topicId ? `t${item.topicId}` : null;

export async function issueDeflectionToken(db: Db, shown: ShownList, now: number): Promise<string> {
  const items = shown.items.map(itemKey).filter((k): k is string => k !== null);
  const payload = [
    shown.communityId,
    shown.kind === "search" ? "s" : "g",
    queryHashOf(shown.query),
    now.toString(36),
    items.join("-"),
  ].join(".");
  return `${payload}.${sign(await signingSecret(db), PURPOSE, payload)}`;
}

/** The token's content when its signature holds and it has not expired; null otherwise. */
export async function readDeflectionToken(db: Db, token: string, now: number): Promise<DeflectionToken | null> {
  const parts = token.split(".");
  if (parts.length !== 6) return null;
  const signature = parts.pop() as string;
  const payload = parts.join(".");
  if (!verifySignature(await signingSecret(db), PURPOSE, payload, signature)) return null;
  const [community, kind, queryHash, issued, items] = parts;
  const issuedAt = Number.parseInt(issued, 36);
  if (!(issuedAt <= now + CLOCK_SKEW_MS && now - issuedAt <= DEFLECTION_TOKEN_TTL_MS)) return null;
  const ids = (prefix: string) =>
    new Set(
      items
        .split("-")
        .filter((k) => k.startsWith(prefix))
        .map((k) => Number(k.slice(1))),
    );
  return {
    id: signature.slice(0, 22),
    communityId: Number(community),
    kind: kind === "s" ? "search" : "suggestions",
    queryHash,
    issuedAt,
    topicIds: ids("t"),
    articleIds: ids("a"),
  };
}
