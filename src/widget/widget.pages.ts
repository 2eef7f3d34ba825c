import type { Deps } from "../core/deps.ts";
import { slugParams } from "../http/api.ts";
import { communityAccess } from "../communities/index.ts";
import { compress, preferredEncoding } from "../web/compression.ts";
import { pathParams } from "../web/page.ts";
import type { PageRoute } from "../web/page-route.ts";
import { widgetScript, widgetScriptPath } from "./widget.script.ts";

/** Host pages keep the script this long; a renamed community shows its new name after it. */
const CACHE_SECONDS = 300;

/** The widget's script, one per public community (a private one is not found: the widget sends no cookies). */
export function widgetPages(deps: Deps): PageRoute[] {
  return [
    {
      method: "GET",
      path: widgetScriptPath(":slug"),
      handle: async (req, reply) => {
        const { slug } = pathParams(slugParams, req.params);
        const { community } = await communityAccess(deps, { slug }, null);
        const encoding = preferredEncoding(req.headers["accept-encoding"]);
        reply
          .header("cache-control", `public, max-age=${CACHE_SECONDS}`)
          .header("vary", "Accept-Encoding")
          .type("text/javascript; charset=utf-8");
        if (encoding !== "identity") reply.header("content-encoding", encoding);
        return reply.send(compress(Buffer.from(widgetScript(community)), encoding, "page"));
      },
    },
  ];
}
