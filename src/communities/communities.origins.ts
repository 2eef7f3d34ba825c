import { z } from "zod";
import type { Deps } from "../core/deps.ts";
import type { Db } from "../db/database.ts";
import { forbidden } from "../core/errors.ts";
import { can } from "../access/privileges.ts";
import type { CommunityAccess } from "../access/access.ts";
import { recordCommunityAudit } from "../audit/audit.ts";
import { lockRows } from "../db/row-locks.ts";

/**
 * The web origins a community lets call its public widget endpoints from the browser (CORS): the
 * company's own support site, e.g. "https://help.example.com". Kept as browsers send `Origin`
 * (lowercase scheme and host, no default port, no path), so a request's origin is compared exactly.
 */
export const ORIGINS_MAX = 50;
const ORIGIN_CHARS_MAX = 200;
const EXAMPLE = "Write an origin such as https://help.example.com (scheme, host and port only).";
const NO_WILDCARD = "Wildcards are not supported: list each origin, such as https://help.example.com.";

/** One origin: http or https, a host, an optional port; no user, path, query or fragment. */
export const webOrigin = z
  .string()
  .trim()
  .max(ORIGIN_CHARS_MAX, `Use at most ${ORIGIN_CHARS_MAX} characters.`)
  .transform((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: "custom", message: EXAMPLE });
      return z.NEVER;
    }
    const bare = !url.username && !url.password && url.pathname === "/" && !url.search && !url.hash;
    // "https://a.example/" is the same origin; "https://a.example/?" or "#" is not bare.
    if (!/^https?:$/.test(url.protocol) || !bare || /[?#]/.test(value)) {
      ctx.addIssue({ code: "custom", message: EXAMPLE });
      return z.NEVER;
    }
    // URL takes "*" in a host, but a browser's Origin never holds one: such an entry would match nothing.
    if (url.hostname.includes("*")) {
      ctx.addIssue({ code: "custom", message: NO_WILDCARD });
      return z.NEVER;
    }
    return url.origin;
  });

export const allowedOriginsBody = z.object({
  /** The whole list, replacing the previous one; duplicates count once. An empty list turns cross-origin use off. */
  allowedOrigins: z
    .array(webOrigin)
    // A bound on the work before duplicates go; the limit is on the origins that remain.
    .max(ORIGINS_MAX * 4, `List at most ${ORIGINS_MAX} origins.`)
    .transform((list) => [...new Set(list)])
    .refine((list) => list.length <= ORIGINS_MAX, `List at most ${ORIGINS_MAX} origins.`),
});

export type AllowedOriginsInput = z.infer<typeof allowedOriginsBody>;

function mayConfigure(access: CommunityAccess): void {
  if (!can(access, "community.configure")) throw forbidden("Only community admins can set the allowed origins.");
}

async function storedOrigins(db: Db, communityId: number): Promise<string[]> {
  const rows = await db
    .selectFrom("allowedOrigins")
    .select("origin")
    .where("communityId", "=", communityId)
    .orderBy("origin")
    .execute();
  return rows.map((r) => r.origin);
}

/** The community's allowed origins (community admins). */
export async function allowedOrigins(deps: Pick<Deps, "db">, access: CommunityAccess): Promise<string[]> {
  mayConfigure(access);
  return storedOrigins(deps.db, access.community.id);
}

/** Replaces the community's allowed origins (community admins), audited; returns the list as stored. */
export async function setAllowedOrigins(
  deps: Pick<Deps, "db" | "dialect" | "clock">,
  access: CommunityAccess,
  input: AllowedOriginsInput,
): Promise<string[]> {
  mayConfigure(access);
  const communityId = access.community.id;
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    // Two replacements at once: the second waits for the first and replaces what it stored
    // (without the lock its delete misses the first's new rows, and its insert collides with them).
    await lockRows({ db: trx, dialect: deps.dialect }, "communities", [communityId]);
    await trx.deleteFrom("allowedOrigins").where("communityId", "=", communityId).execute();
    if (input.allowedOrigins.length > 0)
      await trx
        .insertInto("allowedOrigins")
        .values(input.allowedOrigins.map((origin) => ({ communityId, origin, createdAt: now })))
        .execute();
    await recordCommunityAudit({ db: trx, clock: deps.clock }, access, "community.allowedOrigins", {
      allowedOrigins: input.allowedOrigins,
    });
  });
  return storedOrigins(deps.db, communityId);
}

/** Whether the community of this slug allows pages of this origin (one primary-key probe). */
export async function isAllowedOrigin(db: Db, slug: string, origin: string): Promise<boolean> {
  const row = await db
    .selectFrom("allowedOrigins")
    .innerJoin("communities", "communities.id", "allowedOrigins.communityId")
    .select("allowedOrigins.origin")
    .where("communities.slug", "=", slug.toLowerCase())
    .where("allowedOrigins.origin", "=", origin)
    .executeTakeFirst();
  return row !== undefined;
}
