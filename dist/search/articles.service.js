import { canView } from "../access/access.js";
import { forbidden, notFound, validationFailed } from "../core/errors.js";
import { renderMarkdown } from "../lib/markdown.js";
import { indexArticle } from "./search.index.js";
import { communityAccess } from "../communities/index.js";
import { can } from "../access/privileges.js";
const iso = (ms) => new Date(Number(ms)).toISOString();
function articleSelect(deps) {
    return deps.db
        .selectFrom("articles")
        .innerJoin("users as author", "author.id", "articles.authorId")
        .leftJoin("categories", "categories.id", "articles.categoryId")
        .select([
        "articles.id",
        "articles.communityId",
        "articles.categoryId",
        "articles.sourceTopicId",
        "articles.authorId",
        "articles.title",
        "articles.body",
        "articles.bodyHtml",
        "articles.createdAt",
        "articles.updatedAt",
        "author.name as authorName",
        "categories.slug as categorySlug",
        "categories.name as categoryName",
    ]);
}
export function toPublicArticle(row, community) {
    return {
        id: row.id,
        communityId: row.communityId,
        community: community.slug,
        title: row.title,
        body: row.body,
        bodyHtml: row.bodyHtml,
        category: row.categoryId ? { id: row.categoryId, slug: row.categorySlug, name: row.categoryName } : null,
        sourceTopicId: row.sourceTopicId,
        sourceTopicUrl: row.sourceTopicId ? `/c/${community.slug}/t/${row.sourceTopicId}` : null,
        author: { id: row.authorId, name: row.authorName },
        createdAt: iso(row.createdAt),
        updatedAt: iso(row.updatedAt),
        url: `/c/${community.slug}/kb/${row.id}`,
    };
}
/** What the viewer may do with a community's knowledge base: write and edit articles (staff). */
export function articleAbilities(access) {
    return { write: can(access, "article.write") };
}
/** A community's articles, newest first, keyset-paginated by id, and whether the viewer may write one. */
export async function listArticles(deps, access, input) {
    let query = articleSelect(deps).where("articles.communityId", "=", access.community.id);
    if (input.cursor)
        query = query.where("articles.id", "<", input.cursor);
    const rows = await query
        .orderBy("articles.id", "desc")
        .limit(input.limit + 1)
        .execute();
    const page = rows.slice(0, input.limit);
    return {
        articles: page.map((row) => toPublicArticle(row, access.community)),
        nextCursor: rows.length > input.limit ? page[page.length - 1].id : null,
        abilities: articleAbilities(access),
    };
}
/** An article and the viewer's access to its community; "not found" when the viewer may not see it. */
export async function getArticle(deps, id, actor) {
    const row = await articleSelect(deps).where("articles.id", "=", id).executeTakeFirst();
    if (!row)
        throw notFound("Article");
    const access = await communityAccess(deps, { id: row.communityId }, actor);
    if (!canView(access))
        throw notFound("Article");
    return { article: toPublicArticle(row, access.community), access, canEdit: articleAbilities(access).write };
}
async function checkCategory(deps, communityId, categoryId) {
    if (!categoryId)
        return;
    const row = await deps.db
        .selectFrom("categories")
        .select("id")
        .where("id", "=", categoryId)
        .where("communityId", "=", communityId)
        .executeTakeFirst();
    if (!row)
        throw validationFailed({ categoryId: "Unknown category." });
}
/** The solved topic to promote: same community, with an accepted answer; its text is the draft. */
async function promotable(deps, communityId, topicId) {
    const topic = await deps.db
        .selectFrom("topics")
        .leftJoin("replies", "replies.id", "topics.acceptedReplyId")
        .select([
        "topics.id",
        "topics.communityId",
        "topics.title",
        "topics.body",
        "topics.categoryId",
        "topics.acceptedReplyId",
        "replies.body as answer",
    ])
        .where("topics.id", "=", topicId)
        .executeTakeFirst();
    if (!topic || topic.communityId !== communityId)
        throw validationFailed({ sourceTopicId: "Unknown topic." });
    if (topic.acceptedReplyId === null || topic.answer === null)
        throw validationFailed({ sourceTopicId: "Only a solved topic can be promoted." });
    return { ...topic, answer: topic.answer };
}
/**
 * Publishes an article (staff, moderators, admins): written from scratch, or promoted from a solved
 * topic, whose question and accepted answer are the default text. Indexed at once, so it comes
 * first in search and suggestions.
 */
export async function createArticle(deps, access, input) {
    if (!access.actor)
        throw forbidden("You need to log in to do this.");
    if (!articleAbilities(access).write)
        throw forbidden("Only staff can write knowledge base articles.");
    const communityId = access.community.id;
    const source = input.sourceTopicId ? await promotable(deps, communityId, input.sourceTopicId) : null;
    const categoryId = input.categoryId !== undefined ? input.categoryId : (source?.categoryId ?? null);
    await checkCategory(deps, communityId, categoryId);
    const title = input.title ?? source.title;
    const body = input.body ?? `${source.body}\n\n---\n\n${source.answer}`;
    const now = deps.clock.now();
    const id = await deps.db.transaction().execute(async (trx) => {
        const row = await trx
            .insertInto("articles")
            .values({
            communityId,
            categoryId,
            sourceTopicId: source?.id ?? null,
            authorId: access.actor.id,
            title,
            body,
            bodyHtml: renderMarkdown(body),
            createdAt: now,
            updatedAt: now,
        })
            .returning("id")
            .executeTakeFirstOrThrow();
        await indexArticle({ db: trx, dialect: deps.dialect, clock: deps.clock }, row.id);
        return row.id;
    });
    return toPublicArticle((await articleSelect(deps).where("articles.id", "=", id).executeTakeFirst()), access.community);
}
export async function editArticle(deps, id, actor, input) {
    const { article, canEdit, access } = await getArticle(deps, id, actor);
    if (!canEdit)
        throw forbidden("Only staff can edit knowledge base articles.");
    if (input.categoryId !== undefined)
        await checkCategory(deps, access.community.id, input.categoryId);
    const body = input.body ?? article.body;
    await deps.db.transaction().execute(async (trx) => {
        await trx
            .updateTable("articles")
            .set({
            title: input.title ?? article.title,
            body,
            bodyHtml: body === article.body ? article.bodyHtml : renderMarkdown(body),
            ...(input.categoryId !== undefined ? { categoryId: input.categoryId } : {}),
            updatedAt: deps.clock.now(),
        })
            .where("id", "=", id)
            .execute();
        await indexArticle({ db: trx, dialect: deps.dialect, clock: deps.clock }, id);
    });
    return toPublicArticle((await articleSelect(deps).where("articles.id", "=", id).executeTakeFirst()), access.community);
}
