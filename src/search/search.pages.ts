import { z } from "zod";
import type { Community } from "../db/schema.ts";
import type { Actor, Deps } from "../core/deps.ts";
import { idParams, recordId, slugParams } from "../http/api.ts";
import { inCommunity } from "../communities/index.ts";
import { listVisibleCategories } from "../communities/index.ts";
import type { PageContext } from "../web/layout.ts";
import type { FormState, FormValues } from "../web/forms.ts";
import { definePage, defineForm, type PageRoute } from "../web/page-route.ts";
import {
  articleAbilities,
  createArticle,
  editArticle,
  getArticle,
  listArticles,
  type PublicArticle,
} from "./articles.service.ts";
import { articleFormView, articleListView, articleView } from "./articles.views.ts";
import { createArticleBody, editArticleBody, listArticlesQuery, searchQuery } from "./search.schema.ts";
import { search, type SearchAccess } from "./search.service.ts";
import { searchPageView } from "./search.views.ts";
import { formNumber } from "../web/forms.ts";
import { refusedPage } from "../web/page.ts";

declare module "../web/layout.ts" {
  interface PageSubjects {
    /** A community's knowledge base; `empty` when it shows no article. */
    articleList: { community: Community; empty: boolean };
    /** A knowledge-base article. */
    article: { community: Community; article: PublicArticle };
  }
}

const articleParams = slugParams.extend({ id: idParams.shape.id });
/** The solved topic a new article is promoted from ("Promote to the knowledge base" on a topic). */
const fromQuery = z.object({ from: recordId().optional() }).catch({});

/** Form text to the API's shape: empty fields are absent, numbers are numbers. */
function articleInput(values: FormValues) {
  const text = (name: string) => (values[name]?.trim() ? values[name] : undefined);
  const number = (name: string) => formNumber(values[name]);
  return {
    title: text("title"),
    body: text("body"),
    categoryId: values.categoryId === undefined ? undefined : (number("categoryId") ?? null),
    sourceTopicId: number("sourceTopicId"),
  };
}

/** The search page and the knowledge base pages. */
export function searchPages(deps: Deps): PageRoute[] {
  /** Writing articles is for staff; everyone else gets the same refusal. */
  const asWriter = async (input: { params: { slug: string }; actor: Actor; page: PageContext }) => {
    const access = await inCommunity(deps)(input);
    if (!articleAbilities(access).write) throw refusedPage(input.page, "kb.staffOnly");
    return access;
  };

  /** An article its viewer may edit. */
  const editable = async ({ params, actor, page }: { params: { id: number }; actor: Actor; page: PageContext }) => {
    const found = await getArticle(deps, params.id, actor);
    if (!found.canEdit) throw refusedPage(page, "kb.staffOnly");
    return found;
  };

  const articleForm = async (page: PageContext, access: SearchAccess, form: FormState, article?: PublicArticle) =>
    articleFormView(page, {
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
      render: async ({ page, query, context: access }) => {
        const { community } = access;
        const list = await listArticles(deps, access, query);
        return {
          ...articleListView(page, { community, ...list }),
          subject: { kind: "articleList", community, empty: list.articles.length === 0 },
        };
      },
    }),

    definePage(deps, {
      path: "/c/:slug/kb/new",
      params: slugParams,
      auth: "required",
      query: fromQuery,
      load: asWriter,
      render: async ({ page, query: { from }, context: access }) =>
        articleForm(page, access, { values: from ? { sourceTopicId: String(from) } : {}, errors: {} }),
    }),

    defineForm(deps, {
      path: "/c/:slug/kb/new",
      params: slugParams,
      load: asWriter,
      schema: createArticleBody,
      toInput: articleInput,
      run: async ({ data, context: access }) => (await createArticle(deps, access, data)).url,
      rerender: async ({ page, form, context: access }) => articleForm(page, access, form),
      // The use case's refusals name their field and carry its message (a topic that cannot be
      // promoted, a category that would show it to more readers): forms show each by its field.
    }),

    definePage(deps, {
      path: "/c/:slug/kb/:id",
      params: articleParams,
      render: async ({ page, actor, params: { slug, id } }) => {
        const found = await getArticle(deps, id, actor);
        const { access, canEdit } = found;
        if (access.community.slug !== slug) return { redirect: found.article.url, status: 301 };
        const { article } = found;
        return {
          ...articleView(page, { community: access.community, article, canEdit }),
          subject: { kind: "article", community: access.community, article },
        };
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
      // The edit form starts from the article: a title or body emptied there is a mistake to show,
      // not "keep what is stored" (a field the request leaves out still is).
      toInput: (values) => ({ title: values.title, body: values.body, categoryId: articleInput(values).categoryId }),
      run: async ({ actor, params, data }) => (await editArticle(deps, params.id, actor, data)).url,
      rerender: async ({ page, form, context: { article, access } }) => articleForm(page, access, form, article),
    }),
  ];
}
