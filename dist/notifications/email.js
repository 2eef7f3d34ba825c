import fs from "node:fs/promises";
import path from "node:path";
import nodemailer from "nodemailer";
/** Sends through SMTP_URL. */
function smtpMailer(url, from) {
    const transport = nodemailer.createTransport(url, { from });
    return {
        send: async (email) => {
            await transport.sendMail({ from, ...email });
            return {};
        },
    };
}
/** Without SMTP_URL, each email is written as an .eml file under DATA_DIR/outbox, so a fresh install shows what it would send. */
function outboxMailer(dir, from) {
    const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
    return {
        send: async (email) => {
            const info = await transport.sendMail({ from, ...email });
            await fs.mkdir(dir, { recursive: true });
            const file = path.join(dir, `${Date.now()}-${String(info.messageId).replace(/[^a-zA-Z0-9.-]/g, "")}.eml`);
            await fs.writeFile(file, info.message);
            return { file };
        },
    };
}
const mailers = new WeakMap();
export function outboxDir(config) {
    return path.join(config.dataDir, "outbox");
}
export function mailerFor(config) {
    let mailer = mailers.get(config);
    if (!mailer) {
        mailer = config.smtpUrl
            ? smtpMailer(config.smtpUrl, config.mailFrom)
            : outboxMailer(outboxDir(config), config.mailFrom);
        mailers.set(config, mailer);
    }
    return mailer;
}
