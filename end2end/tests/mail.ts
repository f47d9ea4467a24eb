import fs from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';

const dir = process.env.MAIL_SINK_DIR ?? path.join(__dirname, '..', '..', '.data', 'mail');

/** The newest e-mail the SMTP sink received for `to` (with that subject, if given), waiting for it a little. */
export async function lastMailTo(
  to: string,
  subject?: string,
  timeoutMs = 10_000,
): Promise<{ subject: string; text: string; attachments: { contentType: string; content: string }[] }> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const files = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.eml') && !f.startsWith('.'))
      .map((f) => path.join(dir, f))
      .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
    for (const file of files) {
      const mail = await simpleParser(fs.readFileSync(file));
      const recipients = [mail.to].flat().flatMap((a) => a?.value ?? []).map((v) => v.address);
      if (!recipients.includes(to)) continue;
      if (subject && mail.subject !== subject) continue;
      const attachments = mail.attachments.map((a) => ({ contentType: a.contentType, content: a.content.toString('utf8') }));
      return { subject: mail.subject ?? '', text: mail.text ?? '', attachments };
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no e-mail to ${to} in ${dir}`);
}
