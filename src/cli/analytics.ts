import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { Option } from 'commander';
import { parse } from 'csv-parse';
import { findWorkspace, findWorkspaceByName } from '../accounts/repository.js';
import { answerCsv } from '../analytics/csv.js';
import { countEvents, type EventKind, eventKinds, eventsCsv } from '../analytics/events.js';
import { rangeOf } from '../analytics/query.js';
import { verifyClicks, verifySales, verifyViews } from '../analytics/recount.js';
import { analyticsQuery, groupByValues } from '../analytics/schemas.js';
import { scopeOf } from '../analytics/scope.js';
import { analyticsService } from '../analytics/service.js';
import { contentsService } from '../contents/service.js';
import type { Db } from '../db/database.js';
import { systemClock } from '../shared/clock.js';
import { StartupError } from '../shared/errors.js';
import type { Principal } from '../shared/principal.js';
import { openContext } from './context.js';
import { workProgress } from './progress.js';

const databaseOption = () =>
  new Option('--database <url>', 'postgres://… or a SQLite file (default ./data/kumppani.db)');
const dataDirOption = () => new Option('--data-dir <dir>', 'where the embedded database and the generated secret live');

/** The command line acts as the workspace's owner, or as the operator over the whole network. */
async function principalFor(db: Db, workspace: string | undefined): Promise<Principal> {
  const base = { via: 'apiKey' as const, credentialId: 'cli', userId: null, creatorId: null };
  if (!workspace) return { ...base, workspace: null, isOperator: true };
  const ws = (await findWorkspace(db, workspace)) ?? (await findWorkspaceByName(db, workspace));
  if (!ws) throw new StartupError(`no workspace ${workspace}`);
  return { ...base, workspace: { id: ws.id, role: 'owner' }, isOperator: false };
}

export function analyticsCommands(program: Command): void {
  const analytics = program.command('analytics').description('Analytics: check the rollups, export numbers and events');

  analytics
    .command('verify')
    .description(
      'Recount sales, refunds, commissions, clicks and views from the raw rows and report any difference from the rollups',
    )
    .option('--program <id...>', 'only these programs')
    .addOption(databaseOption())
    .addOption(dataDirOption())
    .action(async (flags) => {
      const { database } = await openContext(flags, { migrate: true });
      try {
        const programs: string[] | undefined = flags.program;
        const progress = await workProgress('conversions recounted');
        progress.start(
          Number(
            (
              await database.db
                .selectFrom('conversions')
                .select((eb) => eb.fn.countAll<number>().as('n'))
                .where('creator_id', 'is not', null)
                .$if(programs !== undefined, (q) => q.where('program_id', 'in', programs as string[]))
                .executeTakeFirstOrThrow()
            ).n,
          ),
        );
        const sales = await verifySales(database.db, programs, (n) => progress.update(n));
        progress.stop();
        const clicks = await verifyClicks(database.db, programs);
        const views = await verifyViews(database.db, programs);
        const differences = [...sales.differences, ...clicks.differences, ...views.differences];
        console.log(
          `Recounted ${sales.conversions.toLocaleString('en')} attributed conversions, ${clicks.clicks.toLocaleString('en')} clicks and ${views.counts.toLocaleString('en')} view counts: ${
            differences.length === 0 ? 'the rollups agree with the raw rows.' : `${differences.length} difference(s).`
          }`,
        );
        for (const d of differences.slice(0, 50)) {
          console.log(
            `  ${d.table} ${d.key}: expected ${JSON.stringify(d.expected)}, found ${JSON.stringify(d.found)}`,
          );
        }
        if (differences.length > 0) process.exitCode = 1;
      } finally {
        await database.close();
      }
    });

  analytics
    .command('export')
    .description('An analytics query as CSV, or with --events a period’s raw events; to --out or stdout')
    .option('--workspace <id-or-name>', 'the brand (default: the whole network, as the operator)')
    .option('--program <id>', 'one program')
    .addOption(new Option('--group-by <group>', 'how to group the numbers').choices([...groupByValues]).default('day'))
    .addOption(new Option('--events <kind>', 'export raw events instead').choices([...eventKinds]))
    .option('--from <day-or-time>', 'start (a day in the time zone, or an instant)')
    .option('--to <day-or-time>', 'end (a day, included; or an instant, not included)')
    .option('--timezone <zone>', "IANA time zone (default the program's)")
    .option('--limit <n>', 'groups at most (not for time buckets)', '1000')
    .option('--out <file>', 'write here instead of stdout')
    .addOption(databaseOption())
    .addOption(dataDirOption())
    .action(async (flags) => {
      const { database } = await openContext(flags, { migrate: true });
      try {
        const principal = await principalFor(database.db, flags.workspace);
        const parsed = analyticsQuery.safeParse({
          programId: flags.program,
          from: flags.from,
          to: flags.to,
          timezone: flags.timezone,
          groupBy: flags.groupBy,
          limit: flags.limit,
        });
        if (!parsed.success) throw new StartupError(parsed.error.issues.map((i) => i.message).join('; '));
        const out = flags.out ? createWriteStream(flags.out) : process.stdout;
        if (flags.events) {
          const kind = flags.events as EventKind;
          const scope = await scopeOf(database.db, principal, parsed.data);
          const range = rangeOf(parsed.data, scope, new Date());
          const filter = {
            programIds: scope.programs.map((p) => p.id),
            from: new Date(range.from).toISOString(),
            to: new Date(range.to).toISOString(),
          };
          const progress = await workProgress(`${kind} exported`);
          progress.start(await countEvents(database.db, kind, filter));
          await pipeline(
            eventsCsv(database.db, kind, filter, (n) => progress.update(n)),
            out,
          );
          progress.stop();
        } else {
          const service = analyticsService({ db: database.db, clock: systemClock });
          const progress = await workProgress('analytics query');
          progress.start(1);
          const answer = await service.query(principal, parsed.data);
          progress.update(1);
          progress.stop();
          await pipeline(answerCsv(answer), out);
        }
      } finally {
        await database.close();
      }
    });

  const contents = program.command('contents').description("Creators' videos and posts");
  contents
    .command('import-views')
    .description('Import view counts from a CSV file with the columns contentId, at, views; all or nothing')
    .argument('<file>', 'the CSV file')
    .addOption(databaseOption())
    .addOption(dataDirOption())
    .action(async (file: string, flags) => {
      const { database } = await openContext(flags, { migrate: true });
      try {
        const rows: { contentId?: string; at?: string; views?: string }[] = [];
        const parser = createReadStream(file).pipe(parse({ columns: true, trim: true, skip_empty_lines: true }));
        for await (const row of parser) rows.push(row as (typeof rows)[number]);
        const progress = await workProgress('view counts imported');
        progress.start(rows.length);
        const { imported } = await contentsService({ db: database.db, clock: systemClock }).importViews(rows, (n) =>
          progress.update(n),
        );
        progress.stop();
        console.log(`Imported ${imported.toLocaleString('en')} view count${imported === 1 ? '' : 's'}.`);
      } finally {
        await database.close();
      }
    });
}
