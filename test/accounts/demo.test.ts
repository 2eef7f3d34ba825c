import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import assert from "node:assert/strict";
import sharp from "sharp";
import { describeEachDatabase } from "../helpers.ts";
import { seedDemoIfEmpty } from "../../src/app/demo.seed.ts";

describeEachDatabase(
  "demo avatars",
  (env) => {
    test("every member of the demo community has an uploaded-style avatar, shown on the topic pages", async () => {
      await seedDemoIfEmpty(env().deps);
      const members = await env()
        .deps.db.selectFrom("memberships")
        .innerJoin("users", "users.id", "memberships.userId")
        .innerJoin("communities", "communities.id", "memberships.communityId")
        .select(["users.name", "users.avatarKey"])
        .where("communities.slug", "=", "demo")
        .execute();
      assert.ok(members.length >= 5);
      for (const member of members) {
        assert.match(String(member.avatarKey), /^avatars\/[0-9a-f]{32}$/, member.name);
        const file = await env().app.inject({ method: "GET", url: `/uploads/${member.avatarKey}-128.webp` });
        assert.equal(file.statusCode, 200);
        const meta = await sharp(file.rawPayload).metadata();
        assert.equal(meta.width, 128);
        assert.equal(meta.height, 128);
      }
      const list = await env().app.inject({ method: "GET", url: "/c/demo" });
      assert.match(list.body, /<img class="face face-s" src="\/uploads\/avatars\/[0-9a-f]{32}-128\.webp"/);
    });
  },
  { dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "cs-demo-avatars-")) },
);
