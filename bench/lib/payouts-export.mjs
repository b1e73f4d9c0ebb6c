// Writes one payout run's file with the compiled code in dist/, in a process of its own, and
// prints {seconds, maxRssKb, rows} as JSON: the peak RSS is this process's, from the kernel.
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { parseDatabaseUrl } from '../../dist/config/config.js';
import { openDatabase } from '../../dist/db/database.js';
import { payoutServices } from '../../dist/payouts/index.js';
import { systemClock } from '../../dist/shared/clock.js';
import { trustedScope } from '../../dist/shared/principal.js';

const { databaseUrl, runId, format, out, secret } = JSON.parse(process.env.EXPORT_JOB ?? '{}');
const handle = await openDatabase(parseDatabaseUrl(databaseUrl, '/tmp'));
const run = await handle.db
  .selectFrom('payout_runs')
  .select('workspace_id')
  .where('id', '=', runId)
  .executeTakeFirstOrThrow();
const { exports } = payoutServices({ db: handle.db, clock: systemClock, secret, dialect: handle.dialect });
const started = performance.now();
let rows = 0;
const file = await exports.build(trustedScope(run.workspace_id), { runId }, format, { onRow: () => rows++ });
const stream = createWriteStream(out);
for await (const chunk of file.body) {
  if (!stream.write(chunk)) await new Promise((resolve) => stream.once('drain', resolve));
}
stream.end();
await finished(stream);
const seconds = (performance.now() - started) / 1000;
await handle.close();
process.stdout.write(JSON.stringify({ seconds, maxRssKb: process.resourceUsage().maxRSS, rows }));
