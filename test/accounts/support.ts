import assert from "node:assert/strict";
import { randomToken } from "../../src/lib/crypto.ts";
import type { ApiResponse, TestEnv } from "../helpers.ts";
import { buildJobRegistry } from "../../src/app/jobs.ts";
import { runJobsNow } from "../../src/jobs/jobs.ts";
import { passwordResetRequestJob } from "../../src/accounts/accounts.recovery.ts";

export const NEW_PASSWORD = "a-brand-new-passphrase";

export const uniqueEmail = () =>
  `acct-${randomToken(6)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")}@example.test`;

/** The session cookie a response sets, as a browser would send it back. */
export function sessionCookie(res: ApiResponse): string {
  const header = res.headers["set-cookie"];
  const all = Array.isArray(header) ? header : [String(header ?? "")];
  const session = all.find((c) => c.startsWith("cs_session="));
  assert.ok(session, `expected a cs_session cookie, got ${JSON.stringify(header)}`);
  return session.split(";")[0];
}

/** Signs up through the API: the member with their session cookie. */
export async function signUp(env: TestEnv, name = "Vera Verify") {
  const email = uniqueEmail();
  const res = await env.api.post("/api/v1/auth/signup", { email, password: "s3cret-enough", name });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return { id: res.body.user.id as number, email, name, cookie: { cookie: sessionCookie(res) } };
}

/** Emails stored for an address, newest first. */
export function emailsTo(env: TestEnv, address: string) {
  return env.deps.db
    .selectFrom("emailDeliveries")
    .selectAll()
    .where("toAddress", "=", address)
    .orderBy("id", "desc")
    .execute();
}

/** The password-reset requests waiting in the job queue. */
export function pendingResetJobs(env: TestEnv) {
  return env.deps.db
    .selectFrom("jobs")
    .select(["id", "dedupeKey"])
    .where("name", "=", passwordResetRequestJob.name)
    .where("status", "=", "pending")
    .orderBy("id")
    .execute();
}

/**
 * Runs the queued password-reset requests, as the app's worker would (the request only queues them),
 * and only those: the emails they queue stay in the outbox table, undelivered.
 */
export async function runResetJobs(env: TestEnv): Promise<void> {
  const ids = (await pendingResetJobs(env)).map((job) => job.id);
  await runJobsNow(env.deps, buildJobRegistry(), ids);
}

/** The token of the link to `path` in an email's text. */
export function tokenIn(text: string, path: "/password-reset" | "/verify-email"): string {
  const match = new RegExp(`${path}/(\\S+)`).exec(text);
  assert.ok(match, `no ${path} link in ${text}`);
  return decodeURIComponent(match[1]);
}

/** A multipart/form-data body with one file (and optional text fields), for app.inject. */
export function multipart(field: string, file: { name: string; type: string; bytes: Buffer }, fields = {}) {
  const boundary = `----cs${randomToken(8).replace(/[^a-zA-Z0-9]/g, "")}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${file.name}"\r\n` +
        `Content-Type: ${file.type}\r\n\r\n`,
    ),
    file.bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { payload: Buffer.concat(parts), headers: { "content-type": `multipart/form-data; boundary=${boundary}` } };
}
