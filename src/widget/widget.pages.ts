import type { Deps } from "../core/deps.ts";
import { slugParams } from "../http/api.ts";
import { communityAccess } from "../communities/index.ts";
import type { Community } from "../db/schema.ts";
import { type ReadyDocument, readyDocument } from "../web/compression.ts";
import { pathParams } from "../web/page.ts";
import type { PageRoute } from "../web/page-route.ts";
import { sendPublicDocument } from "../web/public-document.ts";
import { widgetScript, widgetScriptPath } from "./widget.script.ts";

/** Host pages keep the script this long; a renamed community shows its new name after it. */
const CACHE_SECONDS = 300;

/** Scripts kept built; past this many the oldest goes (a busy site has a few communities). */
const MAX_BUILT = 200;

/**
 * Every visitor of every host page asks for the script: it is built, given its ETag and compressed once per
 * community as its script reads it (slug, name, language), not on every request.
 */
const built = new Map<string, ReadyDocument>();

function builtScript(community: Pick<Community, "slug" | "name" | "locale">): ReadyDocument {
  const key = JSON.stringify([community.slug, community.name, community.locale]);
  let script = built.get(key);
  if (!script) {
    script = readyDocument({ body: widgetScript(community), type: "text/javascript; charset=utf-8" });
    if (built.size >= MAX_BUILT) built.delete(built.keys().next().value as string);
    built.set(key, script);
  }
  return script;
}

/** The widget's script, one per public community (a private one is not found: the widget sends no cookies). */
export function widgetPages(deps: Deps): PageRoute[] {
  return [
    {
      method: "GET",
      path: widgetScriptPath(":slug"),
      handle: async (req, reply) => {
        const { slug } = pathParams(slugParams, req.params);
        const { community } = await communityAccess(deps, { slug }, null);
        return sendPublicDocument(req, reply, builtScript(community), { maxAge: CACHE_SECONDS });
      },
    },
  ];
}
