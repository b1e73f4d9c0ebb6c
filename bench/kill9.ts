/**
 * `npm run check:kill9`: kills a server with SIGKILL under redirect load and reports whether any
 * click whose redirect was answered is missing, on SQLite and (when it can be reached) PostgreSQL.
 * Exits non-zero if a click was lost.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describeKill9, type Kill9Report, killUnderLoad } from './lib/kill9.js';

const adminUrl = process.env.KUMPPANI_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const reports: Kill9Report[] = [];
for (const slowCommitMs of [0, 25]) {
  const report = await killUnderLoad({ loadMs: 3000, slowCommitMs });
  reports.push(report);
  process.stdout.write(`${describeKill9(report)}\n`);
}

const name = `kumppani_kill9_${process.pid}_${randomBytes(3).toString('hex')}`;
const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
const reachable = await admin.connect().then(
  () => true,
  (err: Error) => {
    process.stdout.write(`PostgreSQL at ${adminUrl} is not reachable (${err.message}); only SQLite was checked\n`);
    return false;
  },
);
if (reachable) {
  await admin.query(`CREATE DATABASE ${name}`);
  try {
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    for (const slowCommitMs of [0, 25]) {
      const report = await killUnderLoad({ databaseUrl: url.toString(), loadMs: 3000, slowCommitMs });
      reports.push(report);
      process.stdout.write(`${describeKill9(report)}\n`);
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}
process.exitCode = reports.some((r) => r.lost > 0 || r.answered === 0) ? 1 : 0;
