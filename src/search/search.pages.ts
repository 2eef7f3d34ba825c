import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Deps } from "../core/deps.ts";
import { idParams, slugParams } from "../http/api.ts";
import { listVisibleCategories } from "../communities/communities.service.ts";
import { can } from "../access/privileges.ts";
import { forbidden, validationFailed } from "../core/errors.ts";
import { pageContext, type PageContext } from "../web/layout.ts";
import { pathParams, requireActor, sendPage } from "../web/page.ts";
import { submitForm, type FormState, type FormValues } from "../web/forms.ts";
import { createArticle, editArticle, getArticle, listArticles } from "./articles.service.ts";
import { articleFormView, articleListView, articleView } from "./articles.views.ts";

import { createArticleBody, editArticleBody, listArticlesQuery, searchQuery } from "./search.schema.ts";
import { search, type SearchAccess } from "./search.service.ts";
import { searchPageView } from "./search.views.ts";
import { communityAccess } from "../communities/communities.access.ts";

const articleParams = slugParams.extend({ id: idParams.shape.id });

/** A query string that fails its schema is a 422 page naming the fields, like the topic list. */
function parseQuery<T>(schema: z.ZodType<T>, query: unknown): T {
  const parsed = schema.safeParse(query ?? {});
  if (!parsed.success)
    throw validationFailed(
      Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0] ?? "query"), i.message])),
    );
  return parsed.data;
}

/** Form text to the API's shape: empty fields are absent, numbers are numbers. */
function articleInput(values: FormValues) {
  const text = (name: string) => (values[name]?.trim() ? values[name] : undefined);
  const number = (name: string) => (values[name]?.trim() ? Number(values[name]) : undefined);
  return {
    title: text("title"),
    body: text("body"),
    categoryId: values.categoryId === undefined ? undefined : (number("categoryId") ?? null),
    sourceTopicId: number("sourceTopicId"),
  };
}

/** The search page and the knowledge base pages. */
export function registerSearchPages(app: FastifyInstance, deps: Deps): void {
  app.get("/c/:slug/search", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const access = await communityAccess(deps, { slug: pathParams(slugParams, req.params).slug }, page.actor);
    const input = parseQuery(searchQuery, req.query);
    const [categories, result] = await Promise.all([listVisibleCategories(deps, access), search(deps, access, input)]);
    return sendPage(
      page,
      searchPageView(page, {
        community: access.community,
        categories,
        input,
        ...result,
        canPost: can(access, "topic.create"),
      }),
    );
  });

  app.get("/c/:slug/kb", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const access = await communityAccess(deps, { slug: pathParams(slugParams, req.params).slug }, page.actor);
    const result = await listArticles(deps, access, parseQuery(listArticlesQuery, req.query));
    return sendPage(
      page,
      articleListView(page, { community: access.community, ...result, canWrite: can(access, "article.write") }),
    );
  });

  /** Staff only; everyone else gets the same refusal. */
  async function writerAccess(page: PageContext, slug: string): Promise<SearchAccess> {
    requireActor(page);
    const access = await communityAccess(deps, { slug: slug }, page.actor);
    if (!can(access, "article.write")) throw forbidden(page.t("kb.staffOnly"));
    return access;
  }

  const newForm = async (page: PageContext, access: SearchAccess, form: FormState) =>
    articleFormView(page, { community: access.community, categories: await listVisibleCategories(deps, access), form });

  app.get("/c/:slug/kb/new", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const access = await writerAccess(page, pathParams(slugParams, req.params).slug);
    const from = z.object({ from: z.coerce.number().int().positive().optional() }).catch({}).parse(req.query).from;
    return sendPage(
      page,
      await newForm(page, access, { values: from ? { sourceTopicId: String(from) } : {}, errors: {} }),
    );
  });

  app.post("/c/:slug/kb/new", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const access = await writerAccess(page, pathParams(slugParams, req.params).slug);
    return submitForm(page, {
      schema: createArticleBody,
      toInput: articleInput,
      run: async (input) => (await createArticle(deps, access, input)).url,
      rerender: (form) => newForm(page, access, form),
      refusals: { validation_failed: { sourceTopicId: page.t("kb.notSolved") } },
    });
  });

  app.get("/c/:slug/kb/:id", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const { slug, id } = pathParams(articleParams, req.params);
    const { article, access, canEdit } = await getArticle(deps, id, page.actor);
    if (access.community.slug !== slug) return reply.redirect(article.url, 301);
    return sendPage(page, articleView(page, { community: access.community, article, canEdit }));
  });

  const editForm = async (page: PageContext, id: number, form?: FormState) => {
    const { article, access, canEdit } = await getArticle(deps, id, page.actor);
    if (!canEdit) throw forbidden(page.t("kb.staffOnly"));
    const values = form?.values ?? {
      title: article.title,
      body: article.body,
      categoryId: article.category ? String(article.category.id) : "",
    };
    return articleFormView(page, {
      community: access.community,
      categories: await listVisibleCategories(deps, access),
      form: { values, errors: form?.errors ?? {} },
      article,
    });
  };

  app.get("/c/:slug/kb/:id/edit", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    requireActor(page);
    return sendPage(page, await editForm(page, pathParams(articleParams, req.params).id));
  });

  app.post("/c/:slug/kb/:id/edit", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const actor = requireActor(page);
    const { id } = pathParams(articleParams, req.params);
    return submitForm(page, {
      schema: editArticleBody,
      toInput: (values) => {
        const { title, body, categoryId } = articleInput(values);
        return { title, body, categoryId };
      },
      run: async (input) => (await editArticle(deps, id, actor, input)).url,
      rerender: (form) => editForm(page, id, form),
    });
  });
}
