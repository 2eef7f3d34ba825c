import { definePage, defineForm } from "../web/page-route.js";
import { isOptedOut, questionsForYou, setOptedOut } from "./routing.service.js";
import { optOutBody } from "./routing.schema.js";
import { questionsForYouView } from "./routing.views.js";
/** Questions for you, with the opt-out switch. */
export function routingPages(deps) {
    return [
        definePage(deps, {
            path: "/me/questions-for-you",
            auth: "required",
            render: async ({ page, actor }) => {
                const [questions, optedOut] = await Promise.all([questionsForYou(deps, actor), isOptedOut(deps.db, actor.id)]);
                return questionsForYouView(page, questions, optedOut);
            },
        }),
        defineForm(deps, {
            path: "/me/questions-for-you/settings",
            schema: optOutBody,
            toInput: (v) => ({ optedOut: v.optedOut === "1" }),
            run: async ({ actor, data }) => {
                await setOptedOut(deps, actor.id, data.optedOut);
                return "/me/questions-for-you";
            },
        }),
    ];
}
