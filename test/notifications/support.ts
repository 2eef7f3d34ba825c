import { SMTPServer } from "smtp-server";
import { simpleParser, type ParsedMail } from "mailparser";
import { buildJobRegistry } from "../../src/app/jobs.ts";
import { runDueJobs } from "../../src/jobs/jobs.ts";
import { buildCommunity, buildReply, buildTopic, type TestEnv } from "../helpers.ts";

const registry = buildJobRegistry();

/** Runs the job queue as the worker would, until nothing is due. */
export function drainJobs(env: TestEnv): Promise<number> {
  return runDueJobs(env.deps, registry);
}

/** A member following a topic another member has just answered, their notification stored. */
export async function followerOfAnsweredTopic(env: TestEnv, title: string, answer: string) {
  const { slug, members } = await buildCommunity(env, { members: { member: 3 } });
  const [asker, helper, follower] = members.member;
  const topic = await buildTopic(env, slug, asker, { title });
  await env.api.put(`/api/v1/topics/${topic.id}/follow`, {}, follower.auth);
  await buildReply(env, topic.id, helper, answer);
  await drainJobs(env);
  return { slug, topic, asker, helper, follower };
}

export interface TestSmtp {
  port: number;
  url: string;
  received: ParsedMail[];
  /** Makes the server refuse every message with a permanent error. */
  rejectAll: boolean;
  close(): Promise<void>;
}

/** A real SMTP server on loopback that keeps what it receives. */
export async function startSmtp(port = 0): Promise<TestSmtp> {
  const state = { rejectAll: false };
  const received: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", async () => {
        if (state.rejectAll) {
          const error = new Error("Mailbox unavailable") as Error & { responseCode: number };
          error.responseCode = 550;
          return callback(error);
        }
        received.push(await simpleParser(Buffer.concat(chunks)));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const actualPort = (server.server.address() as { port: number }).port;
  return {
    port: actualPort,
    url: `smtp://127.0.0.1:${actualPort}`,
    received,
    get rejectAll() {
      return state.rejectAll;
    },
    set rejectAll(value: boolean) {
      state.rejectAll = value;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A loopback port with nothing listening on it (an SMTP server that is down). */
export async function freePort(): Promise<number> {
  const smtp = await startSmtp();
  await smtp.close();
  return smtp.port;
}
