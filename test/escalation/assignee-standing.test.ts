import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, describeEachDatabase, type TestUser } from "../helpers.ts";
import { getPage } from "../web/web-helpers.ts";
import { ask } from "../routing/support.ts";
import { configureCategory } from "./support.ts";

// A case assigned to a staff member who then leaves the staff (demoted, removed) would wait on
// someone who no longer works the queue, and be missing from the "unassigned" view colleagues use
// to pick up work: it counts as unassigned instead.
describeEachDatabase("a case's assignee who is no longer staff", (env) => {
  async function assignedCase() {
    const { slug, categories, members, admin } = await buildCommunity(env(), {
      categories: ["Contracts"],
      members: { member: 1, staff: 2 },
    });
    await configureCategory(env(), slug, admin, categories[0].id, { scope: "staff_only" });
    const [asker] = members.member;
    const [staff, colleague] = members.staff;
    const topic = await ask(env(), slug, asker, { categoryId: categories[0].id });
    const assigned = await env().api.put(`/api/v1/topics/${topic.id}/assignee`, { userId: colleague.id }, staff.auth);
    assert.equal(assigned.status, 200);
    const queued = async (filter: string) =>
      (await env().api.get(`/api/v1/communities/${slug}/staff/queue?assignee=${filter}`, staff.auth)).body.items.map(
        (i: { topic: { id: number } }) => i.topic.id,
      );
    assert.deepEqual(await queued("unassigned"), []);
    return { slug, admin, staff, colleague, topic, queued };
  }

  async function expectUnassigned(
    { slug, topic, staff, queued }: Awaited<ReturnType<typeof assignedCase>>,
    former: TestUser,
  ): Promise<void> {
    assert.deepEqual(await queued("unassigned"), [topic.id]);
    const file = await env().api.get(`/api/v1/topics/${topic.id}/case`, staff.auth);
    assert.equal(file.body.case.assignee, null);
    const page = await getPage(env(), `/c/${slug}/t/${topic.id}/case`, staff);
    assert.equal(page.status, 200);
    assert.ok(!page.body.includes(former.name), "the case page names no former staff member");
  }

  test("demoted to member: the case is unassigned in the queue and on the case page", async () => {
    const built = await assignedCase();
    const demoted = await env().api.put(
      `/api/v1/communities/${built.slug}/members/${built.colleague.id}`,
      { role: "member" },
      built.admin.auth,
    );
    assert.equal(demoted.status, 200);
    await expectUnassigned(built, built.colleague);
    const reassigned = await env().api.put(
      `/api/v1/topics/${built.topic.id}/assignee`,
      { userId: built.staff.id },
      built.staff.auth,
    );
    assert.equal(reassigned.status, 200);
    assert.deepEqual(await built.queued("me"), [built.topic.id]);
  });

  test("removed from the community: the case is unassigned", async () => {
    const built = await assignedCase();
    const removed = await env().api.delete(
      `/api/v1/communities/${built.slug}/members/${built.colleague.id}`,
      built.admin.auth,
    );
    assert.equal(removed.status, 200);
    await expectUnassigned(built, built.colleague);
  });

  // Suspended staff lose the queue (`can` refuses them) like demoted ones, until the suspension ends.
  test("suspended: the case is unassigned, nobody may assign it to them, and it is theirs again after", async () => {
    const built = await assignedCase();
    const { slug, admin, staff, colleague, topic, queued } = built;
    const suspension = `/api/v1/communities/${slug}/members/${colleague.id}/suspension`;
    const suspended = await env().api.put(suspension, { days: 3, reason: "Under review" }, admin.auth);
    assert.equal(suspended.status, 200, JSON.stringify(suspended.body));
    await expectUnassigned(built, colleague);
    const refused = await env().api.put(`/api/v1/topics/${topic.id}/assignee`, { userId: colleague.id }, staff.auth);
    assert.equal(refused.status, 422);
    assert.ok(refused.body.error.fields.userId);
    env().clock.advance(4 * 86_400_000);
    assert.deepEqual(await queued("unassigned"), []);
    const file = await env().api.get(`/api/v1/topics/${topic.id}/case`, staff.auth);
    assert.equal(file.body.case.assignee?.id, colleague.id);
  });
});
