// Starts the real `tollgate` binary on a free loopback port over a fresh database and gives
// the tests its URL and an admin token. The binary comes from TOLLGATE_BIN (default: the debug
// build of this repository). SQLite in a temporary folder by default; when
// TOLLGATE_INTEROP_DATABASE_URL names a PostgreSQL database, each server gets a fresh database
// created beside it (through `psql` connected to that URL) and dropped when the server stops.
import { spawn, execFileSync } from 'node:child_process';
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
  const pg = process.env.TOLLGATE_INTEROP_DATABASE_URL ? freshPostgresDatabase(process.env.TOLLGATE_INTEROP_DATABASE_URL) : null;
  const databaseUrl = pg ? pg.url : `sqlite://${join(dir, 'tollgate.db')}`;
  const child = spawn(bin, ['serve', '--listen', '127.0.0.1:0', '--database-url', databaseUrl, '--create', '--bootstrap-token', token, ...extraArgs], {
    cwd: dir,
    // PostgreSQL needs the master key that encrypts signing keys from the environment; each
    // server has a database of its own, so a random key per server will do.
    env: { ...(pg ? { TOLLGATE_MASTER_KEY: randomBytes(32).toString('hex') } : {}), ...process.env, RUST_LOG: process.env.RUST_LOG || 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const started = new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error('tollgate did not start within 30 s')), 30_000);
    const failed = (err) => {
      clearTimeout(timer);
      fail(err);
    };
    child.once('error', failed);
    child.once('exit', (code) => failed(new Error(`tollgate exited early with ${code}`)));
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const m = line.match(/listening on (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        ok(m[1]);
      }
    });
  });
  let base;
  try {
    base = await started;
  } catch (err) {
    child.kill('SIGKILL');
    pg?.drop();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    base,
    token,
    // For suites that run other `tollgate` commands on the same database.
    bin,
    databaseUrl,
    async stop() {
      const done = new Promise((ok) => child.once('exit', ok));
      child.kill('SIGTERM');
      await done;
      pg?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Creates an empty database next to the one `adminUrl` names; returns its URL and a dropper. */
function freshPostgresDatabase(adminUrl) {
  const name = `tollgate_interop_${randomBytes(6).toString('hex')}`;
  const psql = (sql) => execFileSync('psql', ['-qAt', '-v', 'ON_ERROR_STOP=1', '-d', adminUrl, '-c', sql], { stdio: ['ignore', 'ignore', 'inherit'] });
  psql(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** Collects every item of an Okta SDK collection (follows `Link: rel="next"`). */
export async function all(collection) {
  const items = [];
  for await (const item of collection) items.push(item);
  return items;
}
