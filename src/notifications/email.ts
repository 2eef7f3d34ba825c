import fs from "node:fs/promises";
import path from "node:path";
import type { Transporter } from "nodemailer";
import type { Config } from "../core/config.ts";

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

export interface Mailer {
  send(email: OutgoingEmail): Promise<{ file?: string }>;
}

/** nodemailer is loaded with the first email, not at start (about 15 MB of resident memory). */
async function transportOf(
  options: Parameters<typeof import("nodemailer").createTransport>[0],
  defaults?: Parameters<typeof import("nodemailer").createTransport>[1],
): Promise<Transporter> {
  const { default: nodemailer } = await import("nodemailer");
  return nodemailer.createTransport(options, defaults);
}

/** Sends through SMTP_URL. */
function smtpMailer(url: string, from: string): Mailer {
  let transport: Promise<Transporter> | undefined;
  return {
    send: async (email) => {
      transport ??= transportOf(url, { from });
      await (await transport).sendMail({ from, ...email });
      return {};
    },
  };
}

/**
 * Without SMTP_URL, each email is written as an .eml file under DATA_DIR/outbox, so a fresh install shows what it would
 * send.
 */
function outboxMailer(dir: string, from: string): Mailer {
  let transport: Promise<Transporter> | undefined;
  return {
    send: async (email) => {
      transport ??= transportOf({ streamTransport: true, buffer: true, newline: "unix" });
      const info = await (await transport).sendMail({ from, ...email });
      await fs.mkdir(dir, { recursive: true });
      const file = path.join(dir, `${Date.now()}-${String(info.messageId).replace(/[^a-zA-Z0-9.-]/g, "")}.eml`);
      await fs.writeFile(file, info.message as Buffer);
      return { file };
    },
  };
}

const mailers = new WeakMap<Config, Mailer>();

export function outboxDir(config: Config): string {
  return path.join(config.dataDir, "outbox");
}

export function mailerFor(config: Config): Mailer {
  let mailer = mailers.get(config);
  if (!mailer) {
    mailer = config.smtpUrl
      ? smtpMailer(config.smtpUrl, config.mailFrom)
      : outboxMailer(outboxDir(config), config.mailFrom);
    mailers.set(config, mailer);
  }
  return mailer;
}
