import type { FastifyInstance } from "fastify";
import type { Deps } from "../core/deps.ts";
import { pageContext } from "../web/layout.ts";
import { requireActor, sendPage } from "../web/page.ts";
import { submitForm } from "../web/forms.ts";
import { isOptedOut, questionsForYou, setOptedOut } from "./routing.service.ts";
import { optOutBody } from "./routing.schema.ts";
import { questionsForYouView } from "./routing.views.ts";

/** Questions for you, with the opt-out switch. */
export function registerRoutingPages(app: FastifyInstance, deps: Deps): void {
  app.get("/me/questions-for-you", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const actor = requireActor(page);
    const [questions, optedOut] = await Promise.all([questionsForYou(deps, actor), isOptedOut(deps.db, actor.id)]);
    return sendPage(page, questionsForYouView(page, questions, optedOut));
  });

  app.post("/me/questions-for-you/settings", async (req, reply) => {
    const page = pageContext(req, reply, deps);
    const actor = requireActor(page);
    return submitForm(page, {
      schema: optOutBody,
      toInput: (v) => ({ optedOut: v.optedOut === "1" }),
      run: async (input) => {
        await setOptedOut(deps, actor.id, input.optedOut);
        return "/me/questions-for-you";
      },
    });
  });
}
