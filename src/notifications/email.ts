import fs from "node:fs/promises";
import path from "node:path";
import nodemailer, { type Transporter } from "nodemailer";
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

/** Sends through SMTP_URL. */
function smtpMailer(url: string, from: string): Mailer {
  const transport: Transporter = nodemailer.createTransport(url, { from });
  return {
    send: async (email) => {
      await transport.sendMail({ from, ...email });
      return {};
    },
  };
}

/**
 * Without SMTP_URL, each email is written as an .eml file under DATA_DIR/outbox, so a fresh install shows what it would
 * send.
 */
function outboxMailer(dir: string, from: string): Mailer {
  const transport: Transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  return {
    send: async (email) => {
      const info = await transport.sendMail({ from, ...email });
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
