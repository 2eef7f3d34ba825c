import type { Actor, Deps } from "../core/deps.ts";
import type { Db } from "../db/database.ts";
import { conflict, forbidden } from "../core/errors.ts";
import { CANCELLABLE, jobSelect, jobView } from "./dispatch.service.ts";

/** The member's own job requests in a community ("Find me a helper"), newest first. */
export async function myJobRequests(deps: Pick<Deps, "db">, actor: Actor, communityId: number) {
  const rows = await jobSelect(deps.db)
    .where("jobRequests.communityId", "=", communityId)
    .where("jobRequests.customerId", "=", actor.id)
    .orderBy("jobRequests.id", "desc")
    .limit(50)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    service: r.serviceName,
    startsAt: new Date(r.windowStart).toISOString(),
    endsAt: new Date(r.windowEnd).toISOString(),
    url: `/c/${r.communitySlug}/job-requests/${r.id}`,
  }));
}

/**
 * The member who asked calls a job off: it is offered to nobody more, and the dispatch rounds still
 * queued find it no longer open. Others who may see it get 403; anyone else 404.
 */
export async function cancelJobRequest(deps: Deps, id: number, actor: Actor) {
  await jobView(deps, id, actor);
  const { customerId } = await deps.db
    .selectFrom("jobRequests")
    .select("customerId")
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
  if (customerId !== actor.id) throw forbidden("Only the member who asked can cancel this request.");
  if ((await callOffJobRequests(deps.db, "id", id)) !== 1) throw conflict("This request can no longer be cancelled.");
  return (await jobView(deps, id, actor)).job;
}

/**
 * Calls off the job requests nobody has taken yet (one by id, or all of a customer's): they are
 * offered to nobody more, and the dispatch rounds still queued find them no longer open. Returns how many.
 */
export async function callOffJobRequests(db: Db, by: "id" | "customerId", value: number): Promise<number> {
  const result = await db
    .updateTable("jobRequests")
    .set({ status: "cancelled" })
    .where(by, "=", value)
    .where("status", "in", CANCELLABLE)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
