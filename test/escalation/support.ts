import crypto from "node:crypto";
import http from "node:http";
import type { TestEnv, TestUser } from "../helpers.ts";

/** The signing secret the tests' help desk shares with the community (its webhook's secret). */
export const HELPDESK_SECRET = "the-help-desk-shares-this-secret-42";
let deliverySerial = 0;

/**
 * A signed help-desk event, injected as the help desk sends it (the help-desk loop suite covers the
 * real socket), under a new delivery id unless one is given. The same event sent again at the same
 * clock is the same signed request: advance the clock to send it as a new one (a retry).
 */
export async function helpdeskEvent(
  env: TestEnv,
  slug: string,
  event: object,
  deliveryId = `desk-${++deliverySerial}`,
): Promise<{ status: number; body: any }> {
  const body = JSON.stringify(event);
  const timestamp = String(Math.floor(env.clock.now() / 1000));
  const signature = crypto.createHmac("sha256", HELPDESK_SECRET).update(`${timestamp}.${body}`).digest("hex");
  const res = await env.app.inject({
    method: "POST",
    url: `/api/v1/communities/${slug}/helpdesk/events`,
    payload: body,
    headers: {
      "content-type": "application/json",
      "x-crowdservice-timestamp": timestamp,
      "x-crowdservice-signature": `sha256=${signature}`,
      "x-crowdservice-delivery": deliveryId,
    },
  });
  return { status: res.statusCode, body: res.json() };
}

/** Sets a category's scope, expectation or SLA deadlines through the admin API. */
export async function configureCategory(
  env: TestEnv,
  slug: string,
  admin: TestUser,
  categoryId: number,
  settings: Record<string, unknown>,
) {
  const res = await env.api.patch(`/api/v1/communities/${slug}/categories/${categoryId}`, settings, admin.auth);
  if (res.status !== 200) throw new Error(`configureCategory failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.category;
}

export const statusOf = async (env: TestEnv, topicId: number, user: TestUser) =>
  (await env.api.get(`/api/v1/topics/${topicId}`, user.auth)).body.topic.status as string;

export interface ReceivedRequest {
  /** The request's path and query. */
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface Receiver {
  url: string;
  received: ReceivedRequest[];
  /** TCP connections accepted, requests or not. */
  connections(): number;
  /**
   * Answers to give, in order (status, optional delay, optional work done before answering, such as
   * an admin's change while the request is in flight); 200 at once when none is left.
   */
  script: { status: number; delayMs?: number; meanwhile?: () => Promise<unknown> }[];
  close(): Promise<void>;
}

/** A local HTTP server standing in for an external help desk. */
export async function startReceiver(): Promise<Receiver> {
  const received: ReceivedRequest[] = [];
  const script: Receiver["script"] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString() });
      const next = script.shift() ?? { status: 200 };
      const answer = () =>
        setTimeout(() => {
          if (!res.destroyed)
            res.writeHead(next.status, { "content-type": "application/json" }).end('{"ticket":"T-1"}');
        }, next.delayMs ?? 0);
      if (next.meanwhile) void next.meanwhile().then(answer, answer);
      else answer();
    });
  });
  let connections = 0;
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/hooks/crowdservice`,
    received,
    connections: () => connections,
    script,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
