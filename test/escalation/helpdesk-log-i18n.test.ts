import { test } from "node:test";
import assert from "node:assert/strict";
import { buildCommunity, buildTopic, describeEachDatabase } from "../helpers.ts";
import { getPage } from "../web/web-helpers.ts";
import { HELPDESK_SECRET, helpdeskEvent } from "./support.ts";

// The help-desk event log stores each outcome in English (as the API lists it); the staff page
// words the known forms in the reader's language. A refusal's reason is its error's own message.
describeEachDatabase("staff page: help-desk outcomes in the reader's language", (env) => {
  const expected = {
    en: [
      "Applied: ticket linked",
      "Applied: status “pending”",
      "Applied: reply {reply} posted and accepted as the solution",
      "Applied: case resolved",
      "Applied: no open case to resolve",
      "Duplicate: already received, nothing changed",
      "Refused: no such topic in this community",
      "Refused: this kind of topic has no solution",
      "Refused: This topic is locked",
    ],
    de: [
      "Angewendet: Ticket verknüpft",
      "Angewendet: Status „pending“",
      "Angewendet: Antwort {reply} veröffentlicht und als Lösung akzeptiert",
      "Angewendet: Fall gelöst",
      "Angewendet: kein offener Fall zu lösen",
      "Doppelt: schon empfangen, nichts geändert",
      "Abgelehnt: kein solches Thema in dieser Community",
      "Abgelehnt: diese Art von Thema hat keine Lösung",
      "Abgelehnt: This topic is locked",
    ],
    fr: [
      "Appliqué : ticket lié",
      "Appliqué : statut « pending »",
      "Appliqué : réponse {reply} publiée et acceptée comme solution",
      "Appliqué : dossier résolu",
      "Appliqué : aucun dossier ouvert à résoudre",
      "Doublon : déjà reçu, rien n’a changé",
      "Refusé : aucun sujet de ce numéro dans cette communauté",
      "Refusé : ce type de sujet n’a pas de solution",
      "Refusé : This topic is locked",
    ],
    it: [
      "Applicato: ticket collegato",
      "Applicato: stato «pending»",
      "Applicato: risposta {reply} pubblicata e accettata come soluzione",
      "Applicato: pratica risolta",
      "Applicato: nessuna pratica aperta da risolvere",
      "Duplicato: già ricevuto, nulla è cambiato",
      "Rifiutato: nessun argomento con questo numero in questa community",
      "Rifiutato: questo tipo di argomento non ha una soluzione",
      "Rifiutato: This topic is locked",
    ],
  } as const;

  test("every outcome of the log on the staff page in en, de, fr and it; the API keeps the stored text", async () => {
    const { slug, members, admin } = await buildCommunity(env(), { members: { member: 1, staff: 1, moderator: 1 } });
    const [asker] = members.member;
    const [staff] = members.staff;
    await env().api.put(
      `/api/v1/communities/${slug}/webhook`,
      { url: "https://desk.example/hooks", secret: HELPDESK_SECRET, active: false },
      admin.auth,
    );
    const topic = await buildTopic(env(), slug, asker, { title: "My line drops every evening" });
    const locked = await buildTopic(env(), slug, asker, { title: "My router shows a red light" });
    const idea = await buildTopic(env(), slug, asker, { kind: "idea", title: "Dark mode please" });
    assert.equal((await env().api.post(`/api/v1/topics/${topic.id}/escalate`, {}, staff.auth)).status, 200);
    assert.equal((await env().api.put(`/api/v1/topics/${locked.id}/lock`, {}, members.moderator[0].auth)).status, 200);
    const send = async (event: object, status: number, deliveryId?: string) => {
      const res = await helpdeskEvent(env(), slug, { ticketId: "4711", ...event }, deliveryId);
      assert.equal(res.status, status, JSON.stringify(res.body));
      env().clock.advance(1000);
      return res.body;
    };
    await send({ type: "ticket.linked", topicId: topic.id }, 200, "linked");
    await send({ type: "ticket.status", topicId: topic.id, status: "pending" }, 200);
    const reply = await send({ type: "ticket.reply", topicId: topic.id, body: "Fixed it.", solves: true }, 200);
    const replyId = /^reply (\d+) \(accepted\)$/.exec(reply.outcome)![1];
    await send({ type: "ticket.closed", topicId: topic.id }, 200);
    await send({ type: "ticket.closed", topicId: topic.id }, 200);
    await send({ type: "ticket.linked", topicId: topic.id }, 200, "linked");
    await send({ type: "ticket.linked", topicId: 999_999 }, 404);
    await send({ type: "ticket.reply", topicId: idea.id, body: "On it.", solves: true }, 422);
    await send({ type: "ticket.reply", topicId: locked.id, body: "On it." }, 403);

    for (const [locale, texts] of Object.entries(expected)) {
      await env().deps.db.updateTable("users").set({ locale }).where("id", "=", staff.id).execute();
      const page = await getPage(env(), `/c/${slug}/staff`, staff);
      assert.equal(page.status, 200);
      for (const text of texts) assert.ok(page.body.includes(text.replace("{reply}", replyId)), `${locale}: ${text}`);
      if (locale !== "en")
        for (const english of ["applied: ", "refused: ", ">duplicate<"])
          assert.ok(!page.body.includes(english), `${locale}: no "${english}"`);
    }
    const api = await env().api.get(`/api/v1/communities/${slug}/helpdesk/events`, staff.auth);
    assert.ok(
      api.body.events.some((e: { outcome: string }) => e.outcome === `applied: reply ${replyId} (accepted)`),
      "the API lists the outcome as stored",
    );
  });
});
