import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { Command } from 'commander';
import { Option } from 'commander';
import type { DbOrTx } from '../db/database.js';
import { moneyNotices } from '../mail/notices.js';
import { mailService } from '../mail/service.js';
import { smtpTransport } from '../mail/transport.js';
import type { ExportFormat } from '../payouts/exports.js';
import { payoutServices } from '../payouts/index.js';
import { runDuePayouts } from '../payouts/scheduled.js';
import { systemClock } from '../shared/clock.js';
import { StartupError } from '../shared/errors.js';
import { formatAmount } from '../shared/money.js';
import { trustedScope } from '../shared/principal.js';
import { openContext } from './context.js';

interface Bar {
  start(total: number): void;
  update(done: number): void;
  stop(): void;
}

/** A progress bar on stderr when it is a terminal; otherwise nothing until the summary line. */
async function bar(label: string): Promise<Bar> {
  if (!process.stderr.isTTY) return { start: () => {}, update: () => {}, stop: () => {} };
  const { default: cliProgress } = await import('cli-progress');
  const b = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `  ${label} [{bar}] {percentage}% | {value}/{total} | {duration_formatted}`,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  return { start: (total) => b.start(total, 0), update: (done) => b.update(done), stop: () => b.stop() };
}

async function workspaceOf(db: DbOrTx, programId: string): Promise<string> {
  const row = await db.selectFrom('programs').select('workspace_id').where('id', '=', programId).executeTakeFirst();
  if (!row) throw new StartupError(`no program ${programId}`);
  return row.workspace_id;
}

const databaseOption = () =>
  new Option('--database <url>', 'postgres://… or a SQLite file (default ./data/kumppani.db)');
const dataDirOption = () => new Option('--data-dir <dir>', 'where the embedded database and the generated secret live');

/** `kumppani payouts run` and `kumppani payouts export`. */
export function payoutCommands(program: Command): void {
  const payouts = program.command('payouts').description('Payout runs and their files');

  payouts
    .command('run')
    .description(
      "Pay a program's approved, unpaid commissions (netted, from the program's minimum), or with --scheduled every program whose weekly or monthly run is due",
    )
    .option('--program <id>', 'the program (prg_…)')
    .option('--scheduled', 'run the scheduled runs that are due instead')
    .option('--dry-run', 'show what would be paid without writing anything')
    .option('--cutoff <time>', 'pay entries approved up to this ISO 8601 time')
    .addOption(databaseOption())
    .addOption(dataDirOption())
    .action(async (flags) => {
      if (!flags.program && !flags.scheduled) throw new StartupError('give --program <id> or --scheduled');
      const { config, database } = await openContext(flags, { migrate: true });
      // A run tells the creators it blocks for missing details, as the server's runs do: over
      // SMTP when configured (delivered before the command ends), else in the operator's outbox.
      const mail = mailService({
        db: database.db,
        clock: systemClock,
        transport: config.mail?.smtpUrl ? smtpTransport(config.mail.smtpUrl) : undefined,
        from: config.mail?.from ?? 'Kumppani <no-reply@localhost>',
      });
      try {
        const services = payoutServices({
          db: database.db,
          clock: systemClock,
          secret: config.secret,
          dialect: database.dialect,
          notices: moneyNotices(mail, config.publicUrl),
        });
        if (flags.scheduled) {
          const outcomes = await runDuePayouts({
            db: database.db,
            clock: systemClock,
            runs: services.runs,
            trigger: 'cli',
          });
          if (outcomes.length === 0) console.log('No scheduled payout run is due.');
          for (const o of outcomes) {
            console.log(
              o.error ? `${o.programId}: failed: ${o.error}` : `${o.programId}: run ${o.runId}, ${o.payouts} payouts`,
            );
          }
          return;
        }
        const progress = await bar(flags.dryRun ? 'planning payouts' : 'writing payouts');
        const result = await services.runs.run(
          trustedScope(await workspaceOf(database.db, flags.program)),
          flags.program,
          { dryRun: Boolean(flags.dryRun), cutoff: flags.cutoff },
          {
            trigger: 'cli',
            actor: 'command line',
            withCommissionIds: false,
            onProgress: (done, total) => {
              if (done === 0) progress.start(total);
              progress.update(done);
            },
          },
        );
        progress.stop();
        const { run } = result;
        const money = (n: number) => `${formatAmount(n, run.currency)} ${run.currency}`;
        console.log(
          `${flags.dryRun ? 'Dry run: would pay' : `Run ${run.id}: paid`} ${run.payoutCount} creator${run.payoutCount === 1 ? '' : 's'} ${money(run.totalAmount)} (cut-off ${run.cutoff}).`,
        );
        const byMethod = new Map<string, number>();
        for (const p of result.data) byMethod.set(p.method, (byMethod.get(p.method) ?? 0) + 1);
        for (const [method, n] of byMethod) console.log(`  ${method}: ${n}`);
        console.log(`  carried forward: ${result.carriedForward.length}, blocked: ${result.blocked.length}`);
        const reasons = new Map<string, number>();
        for (const b of result.blocked) reasons.set(b.reason, (reasons.get(b.reason) ?? 0) + 1);
        for (const [reason, n] of reasons) console.log(`    ${reason}: ${n}`);
      } finally {
        await mail.settled();
        mail.close();
        await database.close();
      }
    });

  payouts
    .command('export')
    .description("Write a run's payout file: SEPA pain.001 XML, or a PayPal or Wise batch CSV")
    .requiredOption('--run <id>', 'the payout run (prun_…)')
    .addOption(
      new Option('--format <format>', 'the file').choices(['sepa-xml', 'paypal-csv', 'wise-csv']).default('sepa-xml'),
    )
    .addOption(new Option('--sepa-version <version>', 'pain.001.001.09 or .03').choices(['09', '03']).default('09'))
    .option('--out <file>', 'where to write it (default: standard output)')
    .addOption(databaseOption())
    .addOption(dataDirOption())
    .action(async (flags) => {
      const { config, database } = await openContext(flags, { migrate: true });
      try {
        const run = await database.db
          .selectFrom('payout_runs')
          .select(['workspace_id'])
          .where('id', '=', flags.run)
          .executeTakeFirst();
        if (!run) throw new StartupError(`no payout run ${flags.run}`);
        const services = payoutServices({
          db: database.db,
          clock: systemClock,
          secret: config.secret,
          dialect: database.dialect,
        });
        const progress = await bar('writing the file');
        let rows = 0;
        const file = await services.exports.build(
          trustedScope(run.workspace_id),
          { runId: flags.run },
          flags.format as ExportFormat,
          { version: flags.sepaVersion, onRow: () => progress.update(++rows) },
        );
        progress.start(file.count);
        const out = flags.out ? createWriteStream(flags.out) : process.stdout;
        for await (const chunk of file.body) {
          if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
        }
        progress.stop();
        if (flags.out) {
          out.end();
          await finished(out);
          console.log(`${file.count} payouts, ${file.sum} in minor units, written to ${flags.out}`);
        }
      } finally {
        await database.close();
      }
    });
}
