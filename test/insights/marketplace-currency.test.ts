import { test } from "node:test";
import assert from "node:assert/strict";
import { describeEachDatabase } from "../helpers.ts";
import { roomyLimits } from "../routing/support.ts";
import { getPage } from "../web/web-helpers.ts";
import { buildInsightsFixture, utc } from "./support.ts";

describeEachDatabase(
  "insights: marketplace payments in several currencies",
  (env) => {
    test("payments in another currency are never added to the insights' money figures, but listed apart", async () => {
      // The fixture counts money in EUR; its one payment (01-11) was made in CHF, the marketplace's currency.
      const f = await buildInsightsFixture(env());
      // One payment per booking: the two bookings of the range the fixture left unpaid.
      const unpaid = await env()
        .deps.db.selectFrom("bookings")
        .select(["id", "helperId"])
        .where("communityId", "=", f.community.id)
        .where("status", "in", ["cancelled", "requested"])
        .orderBy("id")
        .execute();
      assert.equal(unpaid.length, 2);
      const payments = [
        { currency: "EUR", amountCents: 2500, feeCents: 250, recordedAt: utc(10, 15) },
        { currency: "USD", amountCents: 4000, feeCents: 400, recordedAt: utc(11, 15) },
      ];
      await env()
        .deps.db.insertInto("payments")
        .values(
          payments.map((p, i) => ({
            ...p,
            bookingId: unpaid[i].id,
            communityId: f.community.id,
            helperId: unpaid[i].helperId,
            method: "cash",
            feePercent: 10,
            reference: null,
            confirmedAt: null,
          })),
        )
        .execute();
      const res = await env().api.get(
        `/api/v1/communities/${f.slug}/insights?from=2026-01-10&to=2026-01-11`,
        f.staff.auth,
      );
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const m = res.body.summary.marketplace;
      assert.deepEqual(
        [m.bookedValueCents, m.platformFeesCents],
        [2500, 250],
        "EUR only: not 125.00 of three currencies",
      );
      assert.deepEqual(m.bookedValueByCurrency, [
        { currency: "CHF", valueCents: 6000, feesCents: 1200 },
        { currency: "EUR", valueCents: 2500, feesCents: 250 },
        { currency: "USD", valueCents: 4000, feesCents: 400 },
      ]);

      const page = await getPage(env(), `/c/${f.slug}/insights?range=custom&from=2026-01-10&to=2026-01-11`, f.staff);
      assert.equal(page.status, 200);
      const card = (label: string) => {
        const match = page.body.match(new RegExp(`${label}</span>\\s*<strong class="figure-value">([^<]*)</strong>`));
        assert.ok(match, label);
        // Intl writes a no-break space between a currency code and its amount.
        return match[1].replace(/\u00a0/g, " ");
      };
      assert.equal(card("Paid for completed jobs"), "€25.00 · CHF 60.00 · $40.00");
      assert.equal(card("Platform fees"), "€2.50 · CHF 12.00 · $4.00");
    });
  },
  roomyLimits,
);
