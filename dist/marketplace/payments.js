import { forbidden } from "../core/errors.js";
import { can } from "../access/privileges.js";
const cash = {
    id: "cash",
    record: async () => ({ reference: null }),
};
const invoice = {
    id: "invoice",
    record: async ({ bookingId, communityId, now }) => ({
        reference: `INV-${communityId}-${new Date(now).toISOString().slice(0, 7).replace("-", "")}-${bookingId}`,
    }),
};
export const PAYMENT_METHODS = { cash, invoice };
/** The platform's share, rounded to the cent. */
export const platformFee = (amountCents, percent) => Math.round((amountCents * percent) / 100);
/** The agreed price of a job: the fixed price, or the hourly price times the hours (booked duration unless given). */
export function agreedAmount(booking, hours) {
    if (booking.priceUnit === "fixed")
        return booking.priceCents;
    return Math.round(booking.priceCents * (hours ?? (booking.endsAt - booking.startsAt) / 3600_000));
}
export async function recordPayment(db, method, request) {
    const { reference } = await method.record(request);
    const row = {
        bookingId: request.bookingId,
        communityId: request.communityId,
        helperId: request.helperId,
        method: method.id,
        amountCents: request.amountCents,
        feePercent: request.feePercent,
        feeCents: platformFee(request.amountCents, request.feePercent),
        currency: request.currency,
        reference,
        recordedAt: request.now,
        confirmedAt: null,
    };
    await db.insertInto("payments").values(row).execute();
    return row;
}
const money = (cents) => (cents / 100).toFixed(2);
const csvCell = (value) => /[",\n\r]/.test(String(value)) ? `"${String(value).replace(/"/g, '""')}"` : String(value);
const csvLine = (cells) => cells.map(csvCell).join(",");
/** A helper's payout statement for one month (UTC) as CSV: each completed job, the fee, and what is due. */
export async function payoutCsv(deps, access, month, helperId) {
    if (!can(access, "payout.export"))
        throw forbidden("Only staff export payout statements.");
    const [year, monthNumber] = month.split("-").map(Number);
    const from = Date.UTC(year, monthNumber - 1, 1);
    const to = Date.UTC(year, monthNumber, 1);
    const rows = await deps.db
        .selectFrom("payments")
        .innerJoin("bookings", "bookings.id", "payments.bookingId")
        .innerJoin("services", "services.id", "bookings.serviceId")
        .select([
        "payments.bookingId",
        "payments.recordedAt",
        "payments.confirmedAt",
        "payments.method",
        "payments.reference",
        "payments.amountCents",
        "payments.feeCents",
        "payments.feePercent",
        "payments.currency",
        "services.name as serviceName",
    ])
        .where("payments.communityId", "=", access.community.id)
        .where("payments.helperId", "=", helperId)
        .where("payments.recordedAt", ">=", from)
        .where("payments.recordedAt", "<", to)
        .orderBy("payments.recordedAt")
        .execute();
    const lines = [
        csvLine([
            "date",
            "booking",
            "service",
            "method",
            "reference",
            "confirmed",
            "currency",
            "amount",
            "fee_percent",
            "fee",
            "payout",
        ]),
    ];
    let amount = 0;
    let fee = 0;
    for (const r of rows) {
        amount += r.amountCents;
        fee += r.feeCents;
        lines.push(csvLine([
            new Date(r.recordedAt).toISOString().slice(0, 10),
            r.bookingId,
            r.serviceName,
            r.method,
            r.reference ?? "",
            r.confirmedAt ? "yes" : "no",
            r.currency,
            money(r.amountCents),
            r.feePercent,
            money(r.feeCents),
            money(r.amountCents - r.feeCents),
        ]));
    }
    lines.push(csvLine(["total", "", "", "", "", "", rows[0]?.currency ?? "", money(amount), "", money(fee), money(amount - fee)]));
    return `${lines.join("\r\n")}\r\n`;
}
