// A local SMTP sink for development and tests: accepts every message on
// 127.0.0.1 and writes it, raw, to MAIL_DIR as <time>-<n>.eml. Nothing is relayed.
//   node scripts/smtp-sink.mjs   (PORT, MAIL_DIR from the environment)
import { SMTPServer } from 'smtp-server';
import fs from 'node:fs';
import path from 'node:path';

const port = Number(process.env.PORT ?? 2525);
const dir = process.env.MAIL_DIR ?? '.data/mail';
fs.mkdirSync(dir, { recursive: true });
let count = 0;

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  banner: 'Passerelle mail sink (development)',
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (chunk) => chunks.push(chunk));
    stream.on('end', () => {
      const name = `${Date.now()}-${process.pid}-${++count}.eml`;
      const tmp = path.join(dir, `.${name}`);
      // Write then rename, so readers never see half a message.
      fs.writeFileSync(tmp, Buffer.concat(chunks));
      fs.renameSync(tmp, path.join(dir, name));
      callback();
    });
  },
});
server.on('error', (error) => console.error('smtp sink:', error.message));
server.listen(port, '127.0.0.1', () => console.log(`smtp sink on 127.0.0.1:${port}, writing to ${dir}`));
