import { z } from "zod";
import { idParams, slugParams } from "../http/api.js";
import { inCommunity } from "../communities/index.js";
import { listVisibleCategories } from "../communities/index.js";
import { forbidden } from "../core/errors.js";
import { definePage, defineForm } from "../web/page-route.js";
import { articleAbilities, createArticle, editArticle, getArticle, listArticles, } from "./articles.service.js";
import { articleFormView, articleListView, articleView } from "./articles.views.js";
import { createArticleBody, editArticleBody, listArticlesQuery, searchQuery } from "./search.schema.js";
import { search } from "./search.service.js";
import { searchPageView } from "./search.views.js";
const articleParams = slugParams.extend({ id: idParams.shape.id });
/** The solved topic a new article is promoted from ("Promote to the knowledge base" on a topic). */
const fromQuery = z.object({ from: z.coerce.number().int().positive().optional() }).catch({});
/** Form text to the API's shape: empty fields are absent, numbers are numbers. */
function articleInput(values) {
    const text = (name) => (values[name]?.trim() ? values[name] : undefined);
    const number = (name) => (values[name]?.trim() ? Number(values[name]) : undefined);
    return {
        title: text("title"),
        body: text("body"),
        categoryId: values.categoryId === undefined ? undefined : (number("categoryId") ?? null),
        sourceTopicId: number("sourceTopicId"),
    };
}
/** The search page and the knowledge base pages. */
export function searchPages(deps) {
    /** Writing articles is for staff; everyone else gets the same refusal. */
    const asWriter = async (input) => {
        const access = await inCommunity(deps)(input);
        if (!articleAbilities(access).write)
            throw forbidden(input.page.t("kb.staffOnly"));
        return access;
    };
    /** An article its viewer may edit. */
    const editable = async ({ params, actor, page }) => {
        const found = await getArticle(deps, params.id, actor);
        if (!found.canEdit)
            throw forbidden(page.t("kb.staffOnly"));
        return found;
    };
    const articleForm = async (page, access, form, article) => articleFormView(page, {
        community: access.community,
        categories: await listVisibleCategories(deps, access),
        form,
        article,
    });
    return [
        definePage(deps, {
            path: "/c/:slug/search",
            params: slugParams,
            query: searchQuery,
            load: inCommunity(deps),
            render: async ({ page, query, context: access }) => {
                const [categories, result] = await Promise.all([
                    listVisibleCategories(deps, access),
                    search(deps, access, query),
                ]);
                return searchPageView(page, { community: access.community, categories, input: query, ...result });
            },
        }),
        definePage(deps, {
            path: "/c/:slug/kb",
            params: slugParams,
            query: listArticlesQuery,
            load: inCommunity(deps),
            render: async ({ page, query, context: access }) => articleListView(page, { community: access.community, ...(await listArticles(deps, access, query)) }),
        }),
        definePage(deps, {
            path: "/c/:slug/kb/new",
            params: slugParams,
            auth: "required",
            query: fromQuery,
            load: asWriter,
            render: async ({ page, query: { from }, context: access }) => articleForm(page, access, { values: from ? { sourceTopicId: String(from) } : {}, errors: {} }),
        }),
        defineForm(deps, {
            path: "/c/:slug/kb/new",
            params: slugParams,
            load: asWriter,
            schema: createArticleBody,
            toInput: articleInput,
            run: async ({ data, context: access }) => (await createArticle(deps, access, data)).url,
            rerender: async ({ page, form, context: access }) => articleForm(page, access, form),
            refusals: (page) => ({ validation_failed: { sourceTopicId: page.t("kb.notSolved") } }),
        }),
        definePage(deps, {
            path: "/c/:slug/kb/:id",
            params: articleParams,
            render: async ({ page, actor, params: { slug, id } }) => {
                const { article, access, canEdit } = await getArticle(deps, id, actor);
                if (access.community.slug !== slug)
                    return { redirect: article.url, status: 301 };
                return articleView(page, { community: access.community, article, canEdit });
            },
        }),
        definePage(deps, {
            path: "/c/:slug/kb/:id/edit",
            params: articleParams,
            auth: "required",
            load: editable,
            render: async ({ page, context: { article, access } }) => {
                const categoryId = article.category ? String(article.category.id) : "";
                const values = { title: article.title, body: article.body, categoryId };
                return articleForm(page, access, { values, errors: {} }, article);
            },
        }),
        defineForm(deps, {
            path: "/c/:slug/kb/:id/edit",
            params: articleParams,
            load: editable,
            schema: editArticleBody,
            toInput: (values) => {
                const { title, body, categoryId } = articleInput(values);
                return { title, body, categoryId };
            },
            run: async ({ actor, params, data }) => (await editArticle(deps, params.id, actor, data)).url,
            rerender: async ({ page, form, context: { article, access } }) => articleForm(page, access, form, article),
        }),
    ];
}
