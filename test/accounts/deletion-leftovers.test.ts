import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import assert from "node:assert/strict";
import sharp from "sharp";
import { TEST_PASSWORD, buildCommunity, buildUser, describeEachDatabase, openingTransactionAfter } from "../helpers.ts";
import { applicationBody } from "../marketplace/support.ts";
import { setAvatar, storeAvatarImage } from "../../src/accounts/accounts.avatars.ts";
import { deleteAccount } from "../../src/accounts/accounts.privacy.ts";
import { avatarUrl } from "../../src/web/avatar.ts";
import { JobRegistry, runDueJobs } from "../../src/jobs/jobs.ts";
import { deliveryJob } from "../../src/jobs/events.ts";
import { fanoutJob } from "../../src/notifications/notifications.fanout.ts";
import { SUBSCRIBERS } from "../../src/app/subscribers.ts";

const picture = (background: string) =>
  sharp({ create: { width: 64, height: 64, channels: 3, background } })
    .png()
    .toBuffer();

describeEachDatabase(
  "account deletion: what was set meanwhile, and a service friend's real name",
  (env) => {
    test("an avatar set after the deletion's password check is erased with the account", async () => {
      const user = await buildUser(env());
      const first = await storeAvatarImage(env().deps.config, await picture("#112233"));
      const second = await storeAvatarImage(env().deps.config, await picture("#445566"));
      await setAvatar(env().deps, user.id, first);
      // The upload finishes while the deletion is under way: after its password check, before its transaction.
      const deps = openingTransactionAfter(env().deps, () => setAvatar(env().deps, user.id, second));
      await deleteAccount(deps, user.id, TEST_PASSWORD);
      for (const stem of [first, second]) {
        const file = await env().app.inject({ method: "GET", url: avatarUrl(stem, 256)! });
        assert.equal(file.statusCode, 404, `${stem} removed`);
      }
      const row = await env()
        .deps.db.selectFrom("users")
        .select("avatarKey")
        .where("id", "=", user.id)
        .executeTakeFirstOrThrow();
      assert.equal(row.avatarKey, null);
    });

    test("staff's notice of a deleted member's application no longer carries their real name", async () => {
      const { slug, admin } = await buildCommunity(env());
      const user = await buildUser(env(), { name: "Forum Nick" });
      const applied = await env().api.post(
        `/api/v1/communities/${slug}/helper-applications`,
        await applicationBody({ realName: "Hanna Realname" }),
        user.auth,
      );
      assert.equal(applied.status, 201, JSON.stringify(applied.body));
      const registry = new JobRegistry().register(fanoutJob).register(...SUBSCRIBERS.map(deliveryJob));
      while ((await runDueJobs(env().deps, registry)) > 0);
      const before = await env().api.get("/api/v1/notifications", admin.auth);
      assert.match(JSON.stringify(before.body), /Hanna Realname/, "the notice names the applicant");

      const deleted = await env().api.request("DELETE", "/api/v1/me", { password: TEST_PASSWORD }, user.auth);
      assert.equal(deleted.status, 204);
      const after = await env().api.get("/api/v1/notifications", admin.auth);
      const [notice] = after.body.notifications;
      assert.equal(notice.kind, "market.application_submitted");
      assert.doesNotMatch(JSON.stringify(after.body), /Hanna|Realname|Forum Nick/);
      assert.equal(notice.title, "Deleted member");
      assert.equal(notice.actor.name, "Deleted member");
      // The profile keeps nothing that tells who or where they were: name, phone, bio, home postal code.
      const profile = await env()
        .deps.db.selectFrom("helpers")
        .select(["realName", "phone", "bio", "postalCode"])
        .where("userId", "=", user.id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(profile, { realName: "Deleted member", phone: "", bio: "", postalCode: "" });
    });
  },
  { dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "cs-deletion-")) },
);
