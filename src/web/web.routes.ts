import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Deps } from "../http/context.ts";
import { html } from "./html.ts";
import { layout, pageContext } from "./layout.ts";
import { registerAssets } from "./assets.ts";

export async function registerWeb(app: FastifyInstance, deps: Deps): Promise<void> {
  registerAssets(app);
  app.get("/", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    return reply.type("text/html").send(layout(page, { title: page.t("app.name") }, html`<h1>${page.t("app.name")}</h1>`).value);
  });
}

export function renderErrorPage(req: FastifyRequest, reply: FastifyReply, deps: Deps, status: number, message: string) {
  const page = pageContext(req, reply, deps);
  return reply
    .code(status)
    .type("text/html")
    .send(layout(page, { title: page.t("error.title") }, html`<h1>${page.t("error.title")}</h1><p role="alert">${message}</p>`).value);
}
