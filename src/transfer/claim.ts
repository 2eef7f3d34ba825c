import { z } from "zod";
import type { Actor, Deps } from "../core/deps.ts";
import { conflict, forbidden, notFound } from "../core/errors.ts";
import { hashPassword, randomToken } from "../lib/crypto.ts";
import { isUniqueViolation } from "../db/errors.ts";
import { email, isReservedEmail } from "../accounts/index.ts";

export const claimBody = z.object({
  /** The address the member logs in with from now on. */
  email,
});

/**
 * Hands an imported member (no login: an empty password hash and an address that reaches nobody)
 * to the person behind it: the account gets their email and a one-time password, shown once to the
 * platform admin who passes it on. Everything the member wrote stays theirs. Once claimed, an
 * account cannot be claimed again.
 */
export async function claimImportedMember(
  deps: Pick<Deps, "db">,
  actor: Pick<Actor, "isPlatformAdmin"> | "operator",
  userId: number,
  input: z.infer<typeof claimBody>,
): Promise<{ userId: number; email: string; password: string }> {
  if (actor !== "operator" && !actor.isPlatformAdmin) throw forbidden("Only platform admins can hand over accounts.");
  const imported = await deps.db
    .selectFrom("users")
    .innerJoin("externalIds", (j) =>
      j.onRef("externalIds.localId", "=", "users.id").on("externalIds.kind", "=", "user"),
    )
    .select(["users.id", "users.email", "users.passwordHash"])
    .where("users.id", "=", userId)
    .executeTakeFirst();
  if (!imported) throw notFound("Imported member");
  // Unclaimed: still the import's address, which no member can choose (.invalid), and no password.
  // A password alone does not tell: a single sign-on login clears it from a claimed account.
  if (!isReservedEmail(imported.email) || imported.passwordHash !== "")
    throw conflict("This member was claimed already.");
  const password = randomToken(12);
  const passwordHash = await hashPassword(password);
  const updated = await deps.db
    .updateTable("users")
    .set({ email: input.email, passwordHash })
    .where("id", "=", userId)
    .where("email", "=", imported.email)
    .where("passwordHash", "=", "")
    .executeTakeFirst()
    .catch((error) => {
      throw isUniqueViolation(error) ? conflict("Another account uses this email.") : error;
    });
  if (Number(updated.numUpdatedRows) !== 1) throw conflict("This member was claimed already.");
  return { userId, email: input.email, password };
}
