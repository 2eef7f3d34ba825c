import { timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Deps } from "../core/deps.ts";
import { readiness } from "./ops.health.ts";
import { createMetrics } from "./ops.metrics.ts";

declare module "fastify" {
  interface FastifyContextConfig {
    /** The route checks its own bearer token (an operator's, not an API token). */
    operatorToken?: boolean;
  }
}

const sameToken = (given: string, expected: string) => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

/** Counts a response in the request metrics. */
export type CountResponse = (req: FastifyRequest, reply: FastifyReply) => void;

/**
 * What an operator's load balancer and monitoring call: /healthz (the process answers), /readyz
 * (it can serve: 503 with the reasons otherwise) and /metrics (Prometheus, behind METRICS_TOKEN).
 * `jobNames`: the jobs this version runs, the only ones readiness waits for. Answers how to count a
 * response that no hook sees (one refused before routing).
 */
export function installOps(app: FastifyInstance, deps: Deps, jobNames: readonly string[]): CountResponse {
  const metrics = createMetrics(deps);
  const countResponse: CountResponse = (req, reply) => {
    // Routes by their pattern (/api/v1/topics/:id), never by the raw URL: a label per id would grow without end.
    const route = req.routeOptions.url ?? "unmatched";
    metrics.observe(req.method, route, reply.statusCode, reply.elapsedTime / 1000);
  };
  app.addHook("onResponse", async (req, reply) => countResponse(req, reply));

  app.get("/healthz", async (_req, reply) => reply.header("cache-control", "no-store").send({ ok: true }));

  app.get("/readyz", async (_req, reply) => {
    const { ready, reasons } = await readiness(deps, jobNames);
    reply.header("cache-control", "no-store");
    return reply.code(ready ? 200 : 503).send({ status: ready ? "ready" : "unavailable", reasons });
  });

  // Its bearer token is the operator's, not a member's API token: the actor hook leaves it alone.
  app.get("/metrics", { config: { operatorToken: true } }, async (req, reply) => {
    const token = deps.config.metricsToken;
    if (!token)
      return reply.code(404).send({ error: { code: "not_found", message: "Metrics are off (set METRICS_TOKEN)." } });
    const given = /^bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "")?.[1] ?? "";
    if (!sameToken(given, token))
      return reply
        .code(401)
        .header("www-authenticate", "Bearer")
        .send({ error: { code: "unauthorized", message: "GET /metrics needs the METRICS_TOKEN as a bearer token." } });
    return reply
      .header("content-type", metrics.registry.contentType)
      .header("cache-control", "no-store")
      .send(await metrics.registry.metrics());
  });
  return countResponse;
}
