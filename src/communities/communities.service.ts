import type { Actor, Deps } from "../core/deps.ts";
import type { Category, Community, Role } from "../db/schema.ts";
import type { Db } from "../db/database.ts";
import { AppError, forbidden, conflict, notFound } from "../core/errors.ts";
import { isUniqueViolation } from "../db/errors.ts";
import { prepared } from "../db/prepared.ts";
import { canJoin, type CommunityAccess } from "../access/access.ts";
import { can, canSeeCategory } from "../access/privileges.ts";
import { recordAudit, recordCommunityAudit } from "../audit/audit.ts";
import type { CreateCategoryInput, CreateCommunityInput } from "./communities.schema.ts";
import type { MembersQuery, UpdateCategoryInput, UpdateCommunityInput } from "./communities.schema.ts";
import { lockRows } from "../db/row-locks.ts";
import { transaction } from "../core/transaction.ts";
import { emit } from "../jobs/events.ts";
import { sql } from "kysely";
import type { MessageKey } from "../i18n/i18n.ts";

export function toPublicCommunity(c: Community, role: Role | null = null) {
  return {
    id: c.id,
    slug: c.slug,
    name: c.name,
    description: c.description,
    visibility: c.visibility,
    locale: c.locale,
    timeZone: c.timeZone,
    createdAt: new Date(c.createdAt).toISOString(),
    ...(role ? { role } : {}),
  };
}

export function toPublicCategory(c: Category) {
  return {
    id: c.id,
    slug: c.slug,
    name: c.name,
    description: c.description,
    position: c.position,
    scope: c.scope,
    expectation: c.expectation,
    firstResponseMinutes: c.firstResponseMinutes,
    resolutionMinutes: c.resolutionMinutes,
  };
}

/**
 * Alphabetical order of a name column, as readers expect it: "anna" before "Bob" (both engines compare
 * bytes, which put every lowercase name after all capitalised ones); the column itself, then, breaks ties.
 */
const alphabetically = (column: "users.name" | "communities.name") => sql`lower(${sql.ref(column)})`;

/** What the actor may do on the platform itself: create communities (platform admins). */
function platformAbilities(actor: Actor | null) {
  return { create: actor?.isPlatformAdmin === true };
}

/**
 * Public communities plus the private ones the actor belongs to (all for a platform admin), and
 * what the actor may do beyond them (the front page shows the creation form from it).
 */
export async function listCommunities(deps: Deps, actor: Actor | null) {
  let query = deps.db
    .selectFrom("communities")
    .selectAll("communities")
    .orderBy(alphabetically("communities.name"))
    .orderBy("communities.name")
    .orderBy("communities.id");
  if (actor && !actor.isPlatformAdmin) {
    query = query.where((eb) =>
      eb.or([
        eb("communities.visibility", "=", "public"),
        eb.exists(
          eb
            .selectFrom("memberships")
            .select("memberships.userId")
            .whereRef("memberships.communityId", "=", "communities.id")
            .where("memberships.userId", "=", actor.id),
        ),
      ]),
    );
  } else if (!actor) {
    query = query.where("communities.visibility", "=", "public");
  }
  return { communities: await query.execute(), abilities: platformAbilities(actor) };
}

export async function listMemberships(deps: Deps, userId: number) {
  const rows = await deps.db
    .selectFrom("memberships")
    .innerJoin("communities", "communities.id", "memberships.communityId")
    .select(["communities.slug", "communities.name", "memberships.role"])
    .where("memberships.userId", "=", userId)
    .orderBy(alphabetically("communities.name"))
    .orderBy("communities.name")
    .execute();
  return rows.map((r) => ({ community: r.slug, name: r.name, role: r.role }));
}

export async function createCommunity(deps: Deps, actor: Actor, input: CreateCommunityInput): Promise<Community> {
  if (!platformAbilities(actor).create) throw forbidden("Only platform admins can create communities.");
  return deps.db.transaction().execute(async (trx) => {
    const taken = await trx.selectFrom("communities").select("id").where("slug", "=", input.slug).executeTakeFirst();
    if (taken) throw conflict(`The address "${input.slug}" is already taken.`);
    const community = await trx
      .insertInto("communities")
      .values({ ...input, createdAt: deps.clock.now() })
      .returningAll()
      .executeTakeFirstOrThrow()
      .catch((error) => {
        // Two admins racing past the check above meet the unique index.
        throw isUniqueViolation(error) ? conflict(`The address "${input.slug}" is already taken.`) : error;
      });
    await trx
      .insertInto("memberships")
      .values({ communityId: community.id, userId: actor.id, role: "admin", createdAt: deps.clock.now() })
      .execute();
    await recordCommunityAudit({ db: trx, clock: deps.clock }, { community, actor }, "community.create", {
      slug: community.slug,
      name: community.name,
      visibility: community.visibility,
    });
    return community;
  });
}

/** A refusal (403) in English for the API, explained by `key` in the reader's language on pages and forms. */
const refused = (message: string, key: MessageKey) => new AppError("forbidden", message, undefined, { key });
const ONLY_ADMINS_SET_ROLES = "Only community admins can change roles.";

/** Joins a public community (idempotent); private communities are joined only by invitation of an admin. */
export async function join(deps: Deps, access: CommunityAccess): Promise<Role> {
  if (access.role) return access.role;
  if (access.standing.banned) throw refused("You are banned from this community.", "community.joinBanned");
  if (!canJoin(access)) throw refused("This community is private; ask an admin to add you.", "community.joinPrivate");
  const userId = access.actor!.id;
  await deps.db.transaction().execute(async (trx) => {
    // A ban being written holds the community's row (moderation.removal.ts): wait for it, so that
    // the insert reads it once committed; else it reads from before, and the banned user gets in.
    await lockRows({ db: trx, dialect: deps.dialect }, "communities", [access.community.id], { strength: "share" });
    await ensureMember({ db: trx, clock: deps.clock }, access.community.id, userId);
  });
  // Made private or banned since the access was loaded: ensureMember added nobody.
  const joined = await deps.db
    .selectFrom("memberships")
    .select("role")
    .where("communityId", "=", access.community.id)
    .where("userId", "=", userId)
    .executeTakeFirst();
  if (!joined) throw refused("You cannot join this community.", "community.joinRefused");
  return joined.role;
}

/**
 * Makes a participant of a public community a member when they first take part. Only there: a
 * private community's members are added by its admins (a platform admin, admin everywhere, is
 * the exception), and nobody banned becomes a member. Checked in the insert itself, so a member
 * removed or banned while posting, or a community made private meanwhile, lets nobody back in.
 */
export async function ensureMember(
  deps: Pick<Deps, "db" | "clock">,
  communityId: number,
  userId: number,
): Promise<void> {
  const now = deps.clock.now();
  await deps.db
    .insertInto("memberships")
    .columns(["communityId", "userId", "role", "createdAt"])
    .expression((eb) =>
      eb
        .selectFrom(["communities", "users"])
        .select([
          "communities.id as communityId",
          "users.id as userId",
          sql.lit("member").as("role"),
          sql<number>`cast(${now} as bigint)`.as("createdAt"),
        ])
        .where("communities.id", "=", communityId)
        .where("users.id", "=", userId)
        .where((w) => w.or([w("communities.visibility", "=", "public"), w("users.isPlatformAdmin", "=", 1)]))
        .where((w) =>
          w.not(
            w.exists(
              w
                .selectFrom("communityBans")
                .select("communityBans.userId")
                .whereRef("communityBans.communityId", "=", "communities.id")
                .whereRef("communityBans.userId", "=", "users.id"),
            ),
          ),
        ),
    )
    .onConflict((oc) => oc.columns(["communityId", "userId"]).doNothing())
    .execute();
}

export async function setMemberRole(deps: Deps, access: CommunityAccess, userId: number, role: Role) {
  if (!can(access, "member.setRole")) throw refused(ONLY_ADMINS_SET_ROLES, "members.adminsOnly");
  return deps.db.transaction().execute(async (trx) => {
    // Two admins demoting each other at once must not both succeed: the community's row serialises
    // them, and a ban (moderation.removal.ts) too, so a role given meanwhile cannot undo it.
    await lockRows({ db: trx, dialect: deps.dialect }, "communities", [access.community.id]);
    // Read under the user's row lock, which an account's deletion holds until it has ended its
    // memberships: a role given meanwhile would make a member of the deleted account again.
    await lockRows({ db: trx, dialect: deps.dialect }, "users", [userId]);
    const user = await trx
      .selectFrom("users")
      .select(["id", "name"])
      .where("id", "=", userId)
      .where("deletedAt", "is", null)
      .executeTakeFirst();
    if (!user) throw new AppError("not_found", "User not found.", undefined, { key: "members.unknownUser" });
    const banned = await trx
      .selectFrom("communityBans")
      .select("userId")
      .where("communityId", "=", access.community.id)
      .where("userId", "=", userId)
      .executeTakeFirst();
    if (banned)
      throw new AppError("conflict", "This user is banned from the community: lift the ban first.", undefined, {
        key: "members.banned",
      });
    // ...and an admin demoted meanwhile (the other's request ran first) no longer changes roles.
    if (!access.actor?.isPlatformAdmin) {
      const mine = await trx
        .selectFrom("memberships")
        .select("role")
        .where("communityId", "=", access.community.id)
        .where("userId", "=", access.actor!.id)
        .executeTakeFirst();
      if (mine?.role !== "admin") throw refused(ONLY_ADMINS_SET_ROLES, "members.adminsOnly");
    }
    await trx
      .insertInto("memberships")
      .values({ communityId: access.community.id, userId, role, createdAt: deps.clock.now() })
      .onConflict((oc) => oc.columns(["communityId", "userId"]).doUpdateSet({ role }))
      .execute();
    if (role !== "admin") {
      // A deleted account keeps its membership row but can never act as admin again.
      const admin = await trx
        .selectFrom("memberships")
        .innerJoin("users", "users.id", "memberships.userId")
        .select("memberships.userId")
        .where("memberships.communityId", "=", access.community.id)
        .where("memberships.role", "=", "admin")
        .where("users.deletedAt", "is", null)
        .executeTakeFirst();
      if (!admin)
        throw new AppError(
          "conflict",
          "A community keeps at least one admin: make someone else admin first.",
          undefined,
          { key: "members.lastAdmin" },
        );
    }
    await recordAudit(
      { db: trx, clock: deps.clock },
      {
        communityId: access.community.id,
        actorId: access.actor!.id,
        action: "member.setRole",
        targetType: "user",
        targetId: userId,
        details: { role },
      },
    );
    return { userId: user.id, name: user.name, role };
  });
}

/**
 * One page of a community's members in name order, and the offset of the next page (null after the
 * last). Deleted accounts are left out: deletion ends memberships now, but accounts deleted before
 * that, or imported deleted from an archive, may keep theirs, and there is nobody to manage.
 */
export async function listMembers(deps: Deps, communityId: number, { limit, offset }: MembersQuery) {
  const rows = await deps.db
    .selectFrom("memberships")
    .innerJoin("users", "users.id", "memberships.userId")
    .select(["users.id", "users.name", "memberships.role", "memberships.createdAt"])
    .where("memberships.communityId", "=", communityId)
    .where("users.deletedAt", "is", null)
    // By id among equal names, so that pages neither repeat nor skip anyone.
    .orderBy(alphabetically("users.name"))
    .orderBy("users.name")
    .orderBy("users.id")
    .limit(limit + 1)
    .offset(offset)
    .execute();
  return { members: rows.slice(0, limit), nextOffset: rows.length > limit ? offset + limit : null };
}

/**
 * The categories the viewer may see: champions-only ones only for champions and staff.
 */
export async function listVisibleCategories(deps: Deps, access: CommunityAccess): Promise<Category[]> {
  const all = await listCategories(deps, access.community.id);
  if (!all.some((c) => c.championsOnly)) return all;
  return all.filter((c) => canSeeCategory(access, c));
}

// Read by the topic list and the search page on every view: compiled once (db/prepared.ts).
const categoriesOf = prepared((db, v: { communityId: number }) =>
  db.selectFrom("categories").selectAll().where("communityId", "=", v.communityId).orderBy("position").orderBy("name"),
);

export function listCategories(deps: Deps, communityId: number): Promise<Category[]> {
  return categoriesOf(deps.db, { communityId });
}

export function slugify(text: string): string {
  return (
    text
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40)
      .replace(/-+$/, "") || "category"
  );
}

/** A category name as readers tell names apart: "Café" typed composed or decomposed, in any case, is one name. */
const nameKey = (name: string) => name.normalize("NFKC").toLowerCase();

/** The slugs and names of a community's categories (but `exceptId`'s), to tell a new name or slug from theirs. */
function categoryNames(db: Db, communityId: number, exceptId?: number) {
  let query = db.selectFrom("categories").select(["slug", "name"]).where("communityId", "=", communityId);
  if (exceptId !== undefined) query = query.where("id", "<>", exceptId);
  return query.execute();
}

/**
 * Serialises the changes to a community's categories on PostgreSQL (SQLite has one writer): their names
 * and slugs are read, then a new one is chosen, and two admins must not both choose the same.
 */
const lockCategories = (tx: { db: Db; dialect: Deps["dialect"] }, communityId: number) =>
  lockRows(tx, "communities", [communityId], { strength: "no key update" });

/** Refuses `name` when one of `others` (the community's other categories) has it, as readers tell names apart. */
function refuseTakenName(others: { name: string }[], name: string): void {
  if (others.some((c) => nameKey(c.name) === nameKey(name)))
    throw new AppError("conflict", `A category named "${name}" already exists.`, undefined, {
      key: "community.categoryNameTaken",
    });
}

/**
 * A new category's slug when none is given: its name's. Names without Latin letters all read
 * "category", so another name whose slug is taken gets the first free number ("category-2").
 */
function newCategorySlug(name: string, others: { slug: string }[]): string {
  const base = slugify(name);
  const taken = new Set(others.map((c) => c.slug));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const slug = `${base.slice(0, 40 - suffix.length).replace(/-+$/, "")}${suffix}`;
    if (!taken.has(slug)) return slug;
  }
}

export async function createCategory(
  deps: Deps,
  access: CommunityAccess,
  input: CreateCategoryInput,
): Promise<Category> {
  if (!can(access, "category.create")) throw forbidden("Only community admins can create categories.");
  return deps.db.transaction().execute(async (trx) => {
    // Chosen in the transaction, after the categories created meanwhile: "category" chosen by two
    // admins creating "Ошибки" and "Оплата" at once would refuse the second as a duplicate.
    await lockCategories({ db: trx, dialect: deps.dialect }, access.community.id);
    const others = await categoryNames(trx, access.community.id);
    // A taken name is refused whether or not a slug is given; a given slug is taken as it is, and
    // refused by the unique index, below, when another category has it.
    refuseTakenName(others, input.name);
    const slug = input.slug ?? newCategorySlug(input.name, others);
    const category = await trx
      .insertInto("categories")
      .values({
        communityId: access.community.id,
        slug,
        name: input.name,
        description: input.description,
        position: input.position ?? 0,
        scope: input.scope,
        expectation: input.expectation,
        firstResponseMinutes: input.firstResponseMinutes,
        resolutionMinutes: input.resolutionMinutes,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
      .catch((error) => {
        throw isUniqueViolation(error) ? conflict(`A category "${slug}" already exists.`) : error;
      });
    await recordAudit(
      { db: trx, clock: deps.clock },
      {
        communityId: access.community.id,
        actorId: access.actor!.id,
        action: "category.create",
        targetType: "category",
        targetId: category.id,
        details: { name: category.name, scope: category.scope },
      },
    );
    return category;
  });
}

/** Changes the community's name, description, visibility, language or time zone (community admin). */
export async function updateCommunity(
  deps: Deps,
  access: CommunityAccess,
  input: UpdateCommunityInput,
): Promise<Community> {
  if (!can(access, "community.configure")) throw forbidden("Only community admins can change the community.");
  return transaction(deps, async (tx) => {
    const trx = tx.db;
    const updated = await trx
      .updateTable("communities")
      .set(input)
      .where("id", "=", access.community.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (input.locale !== undefined && input.locale !== access.community.locale)
      await emit(tx, "community.languageChanged", { communityId: updated.id, locale: updated.locale });
    await recordCommunityAudit({ db: trx, clock: deps.clock }, access, "community.update", { ...input });
    return updated;
  });
}

/** Changes a category's name, description, scope, expectation or SLA deadlines (community admin). */
export async function updateCategory(
  deps: Deps,
  access: CommunityAccess,
  categoryId: number,
  input: UpdateCategoryInput,
): Promise<Category> {
  if (!can(access, "category.create")) throw forbidden("Only community admins can change categories.");
  return transaction(deps, async (tx) => {
    const trx = tx.db;
    // Names are read, then one is written: serialised like creations (lockCategories).
    if (input.name !== undefined) await lockCategories(tx, access.community.id);
    const updated = await trx
      .updateTable("categories")
      .set(input)
      .where("id", "=", categoryId)
      .where("communityId", "=", access.community.id)
      .returningAll()
      .executeTakeFirst();
    if (!updated) throw notFound("Category");
    // As when creating one, another category's name in another case or Unicode form is taken; the
    // category's own name in another case is not. Refused, the change is undone.
    if (input.name !== undefined)
      refuseTakenName(await categoryNames(trx, access.community.id, categoryId), input.name);
    if (input.scope !== undefined)
      await emit(tx, "category.scopeChanged", { communityId: access.community.id, categoryId });
    if (input.firstResponseMinutes !== undefined || input.resolutionMinutes !== undefined)
      await emit(tx, "category.deadlinesChanged", { communityId: access.community.id, categoryId });
    await recordAudit(
      { db: trx, clock: deps.clock },
      {
        communityId: access.community.id,
        actorId: access.actor!.id,
        action: "category.update",
        targetType: "category",
        targetId: categoryId,
        details: { ...input },
      },
    );
    return updated;
  });
}
