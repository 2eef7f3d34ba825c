import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, describeEachDatabase } from "../helpers.ts";
import { DEFLECTION_RATE_LIMIT } from "../../src/search/deflection.service.ts";
import { issueDeflectionToken } from "../../src/search/deflection.token.ts";
import { roomyLimits } from "./support.ts";

// Deflection events are limited per client as logins are: an IPv6 client by its /64, so rotating
// through its addresses (2^64 of them) does not make up visits without end.
describeEachDatabase(
  "deflection events: the per-client limit of an IPv6 client",
  (env) => {
    test("counts every address of one /64 together; another /64 is another client", async () => {
      const { slug, community } = await buildCommunity(env());
      const send = async (remoteAddress: string, n: number) => {
        const shown = { communityId: community.id, kind: "suggestions", query: `query ${n}`, items: [{}] } as const;
        const token = await issueDeflectionToken(env().deps.db, shown, env().clock.now());
        const res = await env().app.inject({
          method: "POST",
          url: `/api/v1/communities/${slug}/deflection-events`,
          remoteAddress,
          payload: { type: "suggestion_shown", visitId: `visit-v6-${n}`, token },
        });
        return res.statusCode;
      };
      const statuses: number[] = [];
      for (let n = 0; n <= DEFLECTION_RATE_LIMIT.max; n++)
        statuses.push(await send(`2001:db8:7:7::${n.toString(16)}`, n));
      assert.deepEqual([...new Set(statuses.slice(0, -1))], [201]);
      assert.equal(statuses.at(-1), 429, "a new address in the same /64 is the same client");
      assert.equal(await send("2001:db8:7:8::1", 1000), 201, "another /64");
    });
  },
  roomyLimits,
);
