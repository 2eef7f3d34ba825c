import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, describeEachDatabase } from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { browse, getPage } from "../web/web-helpers.ts";
import { answer, ask, roomyLimits } from "../routing/support.ts";
import { configureCategory, statusOf } from "./support.ts";

const MINUTE = 60_000;

describeEachDatabase(
  "staff queue",
  (env) => {
    async function queueCommunity() {
      const built = await buildCommunity(env(), {
        categories: ["Internet", "Contracts", "Billing"],
        members: { member: 3, staff: 2 },
      });
      const [internet, contracts, billing] = built.categories;
      await configureCategory(env(), built.slug, built.admin, contracts.id, { scope: "staff_only" });
      await configureCategory(env(), built.slug, built.admin, billing.id, { scope: "private" });
      return { ...built, internet, contracts, billing };
    }
    const queue = async (slug: string, auth: { token: string }, query = "") =>
      env().api.get(`/api/v1/communities/${slug}/staff/queue${query}`, auth);

    test("escalated, staff-only and private topics, oldest first; crowd topics and solved ones are not in it; staff only", async () => {
      const { slug, internet, contracts, billing, members } = await queueCommunity();
      const [asker, helper] = members.member;
      const [staff] = members.staff;
      const crowd = await ask(env(), slug, asker, { categoryId: internet.id });
      env().clock.advance(MINUTE);
      const staffOnly = await ask(env(), slug, asker, { categoryId: contracts.id });
      env().clock.advance(MINUTE);
      const privateOne = await ask(env(), slug, asker, { categoryId: billing.id });
      env().clock.advance(MINUTE);
      const escalated = await ask(env(), slug, asker, { categoryId: internet.id });
      await env().api.post(`/api/v1/topics/${escalated.id}/escalate`, {}, staff.auth);
      const res = await queue(slug, staff.auth);
      assert.equal(res.status, 200);
      assert.deepEqual(
        res.body.items.map((i: { topic: { id: number }; case: { reason: string } }) => [i.topic.id, i.case.reason]),
        [
          [staffOnly.id, "staff_only"],
          [privateOne.id, "staff_only"],
          [escalated.id, "manual"],
        ],
      );
      assert.ok(!res.body.items.some((i: { topic: { id: number } }) => i.topic.id === crowd.id));
      assert.equal((await queue(slug, helper.auth)).status, 403);
      assert.equal((await queue(slug, asker.auth)).status, 403);
      const reply = await answer(env(), staffOnly.id, staff);
      await env().api.post(`/api/v1/topics/${staffOnly.id}/accept`, { replyId: reply.id }, asker.auth);
      assert.deepEqual(
        (await queue(slug, staff.auth)).body.items.map((i: { topic: { id: number } }) => i.topic.id),
        [privateOne.id, escalated.id],
        "solved leaves the queue",
      );
    });

    test("assignment to a staff member (audited), filters, internal notes never shown to members, resolution", async () => {
      const { slug, contracts, members } = await queueCommunity();
      const [asker, helper] = members.member;
      const [staff, colleague] = members.staff;
      const topic = await ask(env(), slug, asker, { categoryId: contracts.id, title: "Cancel my contract early" });
      const other = await ask(env(), slug, asker, { categoryId: contracts.id });
      assert.equal(
        (await env().api.put(`/api/v1/topics/${topic.id}/assignee`, { userId: helper.id }, staff.auth)).status,
        422,
        "members cannot be assigned",
      );
      assert.equal(
        (await env().api.put(`/api/v1/topics/${topic.id}/assignee`, { userId: colleague.id }, helper.auth)).status,
        403,
      );
      const assigned = await env().api.put(`/api/v1/topics/${topic.id}/assignee`, { userId: colleague.id }, staff.auth);
      assert.deepEqual(assigned.body, { assignee: { id: colleague.id, name: colleague.name } });
      assert.deepEqual(
        (await queue(slug, colleague.auth, "?assignee=me")).body.items.map(
          (i: { topic: { id: number } }) => i.topic.id,
        ),
        [topic.id],
      );
      assert.deepEqual(
        (await queue(slug, colleague.auth, "?assignee=unassigned")).body.items.map(
          (i: { topic: { id: number } }) => i.topic.id,
        ),
        [other.id],
      );

      const secret = "Customer is on the legacy tariff, offer the retention deal";
      const noted = await env().api.post(`/api/v1/topics/${topic.id}/notes`, { body: secret }, staff.auth);
      assert.equal(noted.status, 201);
      assert.deepEqual(
        (await env().api.get(`/api/v1/topics/${topic.id}/notes`, colleague.auth)).body.notes.map(
          (n: { body: string }) => n.body,
        ),
        [secret],
      );
      for (const member of [asker, helper]) {
        assert.equal((await env().api.get(`/api/v1/topics/${topic.id}/notes`, member.auth)).status, 403);
        assert.equal(
          (await env().api.post(`/api/v1/topics/${topic.id}/notes`, { body: "Sneaky" }, member.auth)).status,
          403,
        );
        assert.equal((await env().api.get(`/api/v1/topics/${topic.id}/case`, member.auth)).status, 403);
      }
      const asAsker = await env().api.get(`/api/v1/topics/${topic.id}`, asker.auth);
      assert.ok(!JSON.stringify(asAsker.body).includes("retention deal"));
      assert.ok(!(await getPage(env(), topic.url, asker)).body.includes("retention deal"));
      assert.ok(
        !(await getPage(env(), topic.url, staff)).body.includes("retention deal"),
        "the topic page is the public one, even for staff",
      );
      await drainJobs(env());
      assert.ok(
        !JSON.stringify((await env().api.get("/api/v1/notifications", asker.auth)).body).includes("retention deal"),
      );

      assert.equal(
        (await env().api.post(`/api/v1/topics/${topic.id}/resolve`, { resolution: "private", reason: "" }, staff.auth))
          .status,
        422,
      );
      assert.equal(
        (await env().api.post(`/api/v1/topics/${topic.id}/resolve`, { resolution: "Cancelled" }, staff.auth)).status,
        422,
        "the choice is required",
      );
      const resolved = await env().api.post(
        `/api/v1/topics/${topic.id}/resolve`,
        { resolution: "private", reason: "Cancelled by phone" },
        staff.auth,
      );
      assert.deepEqual([resolved.status, resolved.body], [200, { status: "open", resolution: "private" }]);
      assert.equal(
        (
          await env().api.post(
            `/api/v1/topics/${topic.id}/resolve`,
            { resolution: "private", reason: "Again" },
            staff.auth,
          )
        ).status,
        409,
      );
      assert.deepEqual(
        (await queue(slug, staff.auth)).body.items.map((i: { topic: { id: number } }) => i.topic.id),
        [other.id],
      );
      const kase = (await env().api.get(`/api/v1/topics/${topic.id}/case`, staff.auth)).body.case;
      assert.equal(kase.resolution, "Cancelled by phone");
      assert.ok(kase.resolvedAt);
      const audit = await env()
        .deps.db.selectFrom("auditLog")
        .select("action")
        .where("targetId", "=", topic.id)
        .where("targetType", "=", "topic")
        .orderBy("id")
        .execute();
      assert.deepEqual(
        audit.map((a) => a.action),
        ["case.assign", "case.resolve"],
      );
    });

    test("pages: the queue and the case page for staff (notes, escalate, resolve through CSRF forms); members are refused", async () => {
      const { slug, internet, members } = await queueCommunity();
      const [asker, helper] = members.member;
      const [staff] = members.staff;
      const topic = await ask(env(), slug, asker, {
        categoryId: internet.id,
        title: "Phone line crackles when it rains",
      });
      const caseUrl = `/c/${slug}/t/${topic.id}/case`;
      const browser = await browse(env(), staff);
      assert.equal((await browser.submit(`${caseUrl}/escalate`)).status, 303);
      assert.equal(await statusOf(env(), topic.id, asker), "escalated");
      const queuePage = await browser.get(`/c/${slug}/staff`);
      assert.equal(queuePage.status, 200);
      assert.ok(queuePage.body.includes(`href="${caseUrl}">Phone line crackles when it rains</a>`));
      assert.equal((await browser.submit(`${caseUrl}/notes`, { body: "" })).status, 422);
      assert.equal(
        (await browser.submit(`${caseUrl}/notes`, { body: "Checked the line test: noise on the pair" })).status,
        303,
      );
      const casePage = await browser.get(caseUrl);
      assert.match(casePage.body, /Checked the line test: noise on the pair/);
      assert.match(casePage.body, /<h2 id="notes-title">Internal notes<\/h2>/);
      assert.equal((await browser.submit(`${caseUrl}/resolve`, { resolution: "private" })).status, 422);
      assert.equal(
        (await browser.submit(`${caseUrl}/resolve`, { resolution: "private", reason: "Technician sent" })).status,
        303,
      );
      assert.equal(await statusOf(env(), topic.id, asker), "open");
      const topicPage = await browser.get(topic.url);
      assert.ok(topicPage.body.includes(`href="${caseUrl}"`), "staff find the case page from the topic");
      assert.ok(!(await getPage(env(), topic.url, helper)).body.includes(caseUrl));
      for (const url of [`/c/${slug}/staff`, caseUrl]) assert.equal((await getPage(env(), url, helper)).status, 403);
      const memberBrowser = await browse(env(), helper);
      assert.equal((await memberBrowser.submit(`${caseUrl}/notes`, { body: "Sneaky" })).status, 403);
      assert.equal(
        (
          await env().app.inject({
            method: "POST",
            url: `${caseUrl}/escalate`,
            headers: { cookie: browser.cookie, "content-type": "application/x-www-form-urlencoded" },
            payload: "",
          })
        ).statusCode,
        403,
        "no CSRF token",
      );
      assert.match(
        (await getPage(env(), `/c/${slug}/staff`, staff, { "accept-language": "fr" })).body,
        /File de l’équipe/,
      );
    });
  },
  roomyLimits,
);
