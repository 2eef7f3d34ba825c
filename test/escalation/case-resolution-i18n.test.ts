import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildTopic, describeEachDatabase } from "../helpers.ts";
import { drainJobs } from "../notifications/support.ts";
import { getPage } from "../web/web-helpers.ts";
import { HELPDESK_SECRET, helpdeskEvent } from "./support.ts";

// The case page says what staff did in the reader's language: a public resolution and a help-desk
// closure are worded by the page; a private reason stays in staff's own words.
describeEachDatabase("case page: the resolution in the reader's language", (env) => {
  const expected = {
    en: ["Public resolution: reply", "closed in the help desk"],
    de: ["Öffentlich gelöst: Antwort", "im Helpdesk geschlossen"],
    fr: ["Résolution publique : réponse", "fermé dans le service d’assistance"],
    it: ["Risoluzione pubblica: risposta", "chiuso nell’help desk"],
  } as const;

  test("public, help-desk and private resolutions on the case page in en, de, fr and it", async () => {
    const { slug, members, admin } = await buildCommunity(env(), { members: { member: 1, staff: 1 } });
    const [asker] = members.member;
    const [staff] = members.staff;
    await env().api.put(
      `/api/v1/communities/${slug}/webhook`,
      { url: "https://desk.example/hooks", secret: HELPDESK_SECRET, active: false },
      admin.auth,
    );
    const inPublic = await buildTopic(env(), slug, asker, { title: "My line drops every evening" });
    const inDesk = await buildTopic(env(), slug, asker, { title: "My router shows a red light" });
    const inPrivate = await buildTopic(env(), slug, asker, { title: "Please check my invoice" });
    for (const topic of [inPublic, inDesk, inPrivate])
      assert.equal((await env().api.post(`/api/v1/topics/${topic.id}/escalate`, {}, staff.auth)).status, 200);
    const resolved = await env().api.post(
      `/api/v1/topics/${inPublic.id}/resolve`,
      { resolution: "public", body: "We replaced the line card for you." },
      staff.auth,
    );
    assert.equal(resolved.status, 200);
    const closed = await helpdeskEvent(env(), slug, { type: "ticket.closed", topicId: inDesk.id, ticketId: "4711" });
    assert.equal(closed.status, 200);
    const reason = "Corrected the invoice on the phone.";
    assert.equal(
      (await env().api.post(`/api/v1/topics/${inPrivate.id}/resolve`, { resolution: "private", reason }, staff.auth))
        .status,
      200,
    );
    await drainJobs(env());
    for (const [locale, [publicText, deskText]] of Object.entries(expected)) {
      await env().deps.db.updateTable("users").set({ locale }).where("id", "=", staff.id).execute();
      const page = async (topicId: number) => {
        const res = await getPage(env(), `/c/${slug}/t/${topicId}/case`, staff);
        assert.equal(res.status, 200);
        return res.body;
      };
      const publicPage = await page(inPublic.id);
      assert.ok(publicPage.includes(`${publicText} ${resolved.body.replyId}`), `${locale}: public resolution`);
      const deskPage = await page(inDesk.id);
      assert.ok(deskPage.includes(`4711 ${deskText}`), `${locale}: help-desk closure`);
      if (locale !== "en") {
        assert.ok(!publicPage.includes("Public resolution"), `${locale}: no English on the public case`);
        assert.ok(!deskPage.includes("closed in the help desk"), `${locale}: no English on the help-desk case`);
      }
      assert.ok((await page(inPrivate.id)).includes(reason), `${locale}: the private reason as staff wrote it`);
    }
    // The API keeps the stored text.
    const apiCase = await env().api.get(`/api/v1/topics/${inPublic.id}/case`, staff.auth);
    assert.equal(apiCase.body.case.resolution, `Public resolution: reply ${resolved.body.replyId}`);
  });
});
