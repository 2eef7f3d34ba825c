import type { Deps } from "../core/deps.ts";
import type { Db } from "../db/database.ts";
import type { CommunityAccess } from "../access/access.ts";
import { forbidden } from "../core/errors.ts";
import { can } from "../access/privileges.ts";
import { csvText } from "../lib/csv.ts";

export interface PaymentRequest {
  bookingId: number;
  communityId: number;
  amountCents: number;
  currency: string;
  now: number;
}

/**
 * How a customer pays for a completed job. Cash and invoice are settled outside the platform and
 * only recorded; an online provider would implement the same call (creating a payment intent and
 * returning its reference).
 */
export interface PaymentMethod {
  readonly id: string;
  /** Records the payment at completion; returns the reference the customer needs (an invoice number), if any. */
  record(request: PaymentRequest): Promise<{ reference: string | null }>;
}

const cash: PaymentMethod = {
  id: "cash",
  record: async () => ({ reference: null }),
};

const invoice: PaymentMethod = {
  id: "invoice",
  record: async ({ bookingId, communityId, now }) => ({
    reference: `INV-${communityId}-${new Date(now).toISOString().slice(0, 7).replace("-", "")}-${bookingId}`,
  }),
};

export const PAYMENT_METHODS: Record<"cash" | "invoice", PaymentMethod> = { cash, invoice };

/** The platform's share, rounded to the cent. */
export const platformFee = (amountCents: number, percent: number) => Math.round((amountCents * percent) / 100);

/** The agreed price of a job: the fixed price, or the hourly price times the hours (booked duration unless given). */
export function agreedAmount(
  booking: { priceCents: number; priceUnit: string; startsAt: number; endsAt: number },
  hours?: number,
): number {
  if (booking.priceUnit === "fixed") return booking.priceCents;
  return Math.round(booking.priceCents * (hours ?? (booking.endsAt - booking.startsAt) / 3600_000));
}

export async function recordPayment(
  db: Db,
  method: PaymentMethod,
  request: PaymentRequest & { helperId: number; feePercent: number },
) {
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

const money = (cents: number) => (cents / 100).toFixed(2);
/** A CSV line: numbers as they are, text defused (a service named =HYPERLINK(...) stays text). */
export const csvLine = (cells: (string | number)[]) =>
  cells.map((cell) => (typeof cell === "string" ? csvText(cell) : String(cell))).join(",");

/**
 * A helper's payout statement for one month (UTC) as CSV: each completed job, the fee, and what is
 * due; one total line per currency (amounts in different currencies are never added up). Payments
 * voided by an upheld problem report are left out.
 */
export async function payoutCsv(deps: Deps, access: CommunityAccess, month: string, helperId: number): Promise<string> {
  if (!can(access, "payout.export")) throw forbidden("Only staff export payout statements.");
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
    // A payment voided by an upheld problem report is owed to nobody.
    .where("payments.voidedAt", "is", null)
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
  const totals = new Map<string, { amount: number; fee: number }>();
  for (const r of rows) {
    const total = totals.get(r.currency) ?? { amount: 0, fee: 0 };
    total.amount += r.amountCents;
    total.fee += r.feeCents;
    totals.set(r.currency, total);
    lines.push(
      csvLine([
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
      ]),
    );
  }
  if (totals.size === 0) totals.set("", { amount: 0, fee: 0 });
  for (const [currency, { amount, fee }] of [...totals].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    lines.push(csvLine(["total", "", "", "", "", "", currency, money(amount), "", money(fee), money(amount - fee)]));
  return `${lines.join("\r\n")}\r\n`;
}
