import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import assert from "node:assert/strict";
import { describeEachDatabase } from "../helpers.ts";
import { loadConfig } from "../../src/core/config.ts";
import { bookingBody, market } from "./support.ts";

const defaults = loadConfig({});

describeEachDatabase(
  "booking requests are rate limited like posts",
  (env) => {
    test("a member past the limit gets 429, and nothing is booked or sent to the helper", async () => {
      const { offer, customer, other, helper } = await market(env());
      const book = (days: number, who = customer) =>
        env().api.post(`/api/v1/offers/${offer.id}/bookings`, bookingBody(env(), days), who.auth);
      assert.equal((await book(4)).status, 201);
      assert.equal((await book(5)).status, 201);
      const refused = await book(6);
      assert.equal(refused.status, 429);
      assert.equal(refused.body.error.code, "rate_limited");
      const held = await env().deps.db.selectFrom("bookings").select("id").where("helperId", "=", helper.id).execute();
      assert.equal(held.length, 2, "the refused request holds none of the helper's time");
      assert.equal((await book(6, other)).status, 201, "another member still books that time");
    });
  },
  {
    dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "cs-market-")),
    rateLimits: { ...defaults.rateLimits, post: { max: 2, windowMs: 3_600_000 } },
  },
);
