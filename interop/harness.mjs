// Starts the real `tollgate` binary on a free loopback port over a fresh database and gives
// the tests its URL and an admin token. The binary comes from TOLLGATE_BIN (default: the debug
// build of this repository); PostgreSQL is used when TOLLGATE_INTEROP_DATABASE_URL is set.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';

const here = new URL('.', import.meta.url).pathname;

export async function startTollgate(extraArgs = []) {
  const bin = process.env.TOLLGATE_BIN || resolve(here, '../target/debug/tollgate');
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-interop-'));
  const token = '00' + randomBytes(30).toString('base64url');
  const databaseUrl = process.env.TOLLGATE_INTEROP_DATABASE_URL || `sqlite://${join(dir, 'tollgate.db')}`;
  const child = spawn(bin, ['serve', '--listen', '127.0.0.1:0', '--database-url', databaseUrl, '--bootstrap-token', token, ...extraArgs], {
    cwd: dir,
    env: { ...process.env, RUST_LOG: process.env.RUST_LOG || 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const base = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error('tollgate did not start within 30 s')), 30_000);
    child.once('exit', (code) => fail(new Error(`tollgate exited early with ${code}`)));
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const m = line.match(/listening on (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        ok(m[1]);
      }
    });
  });
  return {
    base,
    token,
    async stop() {
      const done = new Promise((ok) => child.once('exit', ok));
      child.kill('SIGTERM');
      await done;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Collects every item of an Okta SDK collection (follows `Link: rel="next"`). */
export async function all(collection) {
  const items = [];
  for await (const item of collection) items.push(item);
  return items;
}
