import { test } from "node:test";
import assert from "node:assert/strict";
import { addMember, buildCommunity, type TestEnv } from "../helpers.ts";
import { approvedHelper, bookingBody, createOffer, createService, describeMarket, jobBody } from "./support.ts";

/**
 * A helper removed from a community (without a ban) sells there only while they may still take part:
 * in a private community the removal ends it at once (search, slots, booking, dispatch and the job
 * offers they were sent); in a public one anyone not banned takes part, so their offers stay, as the
 * rest of the platform treats a removed member of a public community (a ban is what keeps them out).
 */
async function removedHelper(env: TestEnv, visibility: "public" | "private") {
  const built = await buildCommunity(env, { visibility, members: { member: 2 } });
  const { slug, admin, members } = built;
  const [customer, helperUser] = members.member;
  const service = await createService(env, slug, admin);
  const { user: helper } = await approvedHelper(env, slug, admin, helperUser);
  const offer = await createOffer(env, slug, helper, service.id);
  // A job dispatched to the helper before the removal.
  const before = await env.api.post(
    `/api/v1/communities/${slug}/job-requests`,
    jobBody(env, service.id),
    customer.auth,
  );
  assert.equal(before.body.offeredTo, 1, JSON.stringify(before.body));
  const removed = await env.api.delete(`/api/v1/communities/${slug}/members/${helper.id}`, admin.auth);
  assert.equal(removed.status, 200, JSON.stringify(removed.body));
  const search = async () =>
    (await env.api.get(`/api/v1/communities/${slug}/offers?service=${service.id}`, customer.auth)).body.offers.map(
      (o: { id: number }) => o.id,
    );
  const slots = async () => (await env.api.get(`/api/v1/offers/${offer.id}/slots`, customer.auth)).body.slots.length;
  const book = () => env.api.post(`/api/v1/offers/${offer.id}/bookings`, bookingBody(env), customer.auth);
  const dispatch = async () =>
    (await env.api.post(`/api/v1/communities/${slug}/job-requests`, jobBody(env, service.id), customer.auth)).body
      .offeredTo;
  const jobOffers = async () =>
    (await env.api.get("/api/v1/me/job-offers", helper.auth)).body.jobOffers.map((j: { id: number }) => j.id);
  return { ...built, helper, offer, before: before.body.jobRequest, search, slots, book, dispatch, jobOffers };
}

describeMarket("a helper removed from the community", (env) => {
  test("private community: the removal ends selling, dispatch and the job offers at once", async () => {
    const { community, helper, offer, search, slots, book, dispatch, jobOffers } = await removedHelper(
      env(),
      "private",
    );
    assert.deepEqual(await search(), [], "out of the search");
    assert.equal(await slots(), 0, "no free slots");
    const refused = await book();
    assert.equal(refused.status, 409, JSON.stringify(refused.body));
    assert.equal(refused.body.error.code, "conflict");
    assert.equal(await dispatch(), 0, "new jobs go to nobody");
    assert.deepEqual(await jobOffers(), [], "the private jobs sent before are no longer listed");

    // Invited again: their offer is back, as after a lifted ban.
    await addMember(env(), community.id, helper.id, "member");
    assert.deepEqual(await search(), [offer.id]);
    assert.equal((await book()).status, 201);
  });

  test("public community: removed without a ban, they take part as anyone does, so they keep selling", async () => {
    const { before, offer, search, slots, book, dispatch, jobOffers } = await removedHelper(env(), "public");
    assert.deepEqual(await search(), [offer.id]);
    assert.ok((await slots()) > 0);
    const booked = await book();
    assert.equal(booked.status, 201, JSON.stringify(booked.body));
    assert.equal(await dispatch(), 1);
    assert.ok((await jobOffers()).includes(before.id));
  });
});
