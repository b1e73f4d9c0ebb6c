#!/usr/bin/env node
import { randomBytes } from 'node:crypto';
import { Command, Option } from 'commander';
import { findWorkspace, findWorkspaceByName } from '../accounts/repository.js';
import { accountsService } from '../accounts/service.js';
import { commissionsService } from '../commissions/service.js';
import { migrateToLatest } from '../db/database.js';
import { databaseIsEmpty, describeDemo, loadDemo } from '../demo/demo.js';
import { systemClock } from '../shared/clock.js';
import { AppError, StartupError } from '../shared/errors.js';
import { analyticsCommands } from './analytics.js';
import { openContext } from './context.js';
import { payoutCommands } from './payouts.js';
import { clickProgress } from './progress.js';
import { serve } from './serve.js';

const program = new Command();
program
  .name('kumppani')
  .description('Kumppani: self-hostable affiliate and creator-partnership platform')
  .version('0.1.0')
  .showHelpAfterError();

const databaseOption = () =>
  new Option('--database <url>', 'postgres://… or a SQLite file (default ./data/kumppani.db)');
const dataDirOption = () => new Option('--data-dir <dir>', 'where the embedded database and the generated secret live');

program
  .command('serve')
  .description('Run the HTTP server (migrates the database first)')
  .option('--host <host>', 'address to listen on (env HOST, default 127.0.0.1)')
  .option('--port <port>', 'port to listen on (env PORT, default 8080)')
  .addOption(databaseOption())
  .addOption(dataDirOption())
  .option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent')
  .option('--demo', 'load the demo data first if the database is empty')
  .action(async (flags) => {
    await serve(flags);
  });

program
  .command('migrate')
  .description('Bring the database schema up to date')
  .addOption(databaseOption())
  .addOption(dataDirOption())
  .action(async (flags) => {
    const { database } = await openContext(flags, { migrate: false });
    try {
      const { applied } = await migrateToLatest(database.db);
      console.log(
        applied.length
          ? `Applied ${applied.length} migration(s): ${applied.join(', ')}`
          : 'The database is up to date.',
      );
    } finally {
      await database.close();
    }
  });

program
  .command('demo')
  .description('Fill an empty database with a realistic demo: two brands, three programs, forty creators')
  .addOption(databaseOption())
  .addOption(dataDirOption())
  .option('--if-empty', 'do nothing (and succeed) when the database already has data')
  .option('--clicks <count>', 'clicks to spread over the last 60 days', '200000')
  .action(async (flags) => {
    const clicks = Number(flags.clicks);
    if (!Number.isInteger(clicks) || clicks < 0 || clicks > 10_000_000) {
      throw new StartupError(`--clicks must be a whole number from 0 to 10000000, not ${flags.clicks}`);
    }
    const { config, database } = await openContext(flags, { migrate: true });
    try {
      if (!(await databaseIsEmpty(database.db))) {
        if (flags.ifEmpty) {
          console.log('The database already has data; the demo was not loaded.');
          return;
        }
        throw new StartupError(
          'the database already has data; the demo only fills an empty database (use --if-empty to skip)',
        );
      }
      const summary = await loadDemo(
        { db: database.db, secret: config.secret, clock: systemClock },
        { log: (line) => console.log(`  ${line}`), progress: await clickProgress(), clicks },
      );
      console.log(describeDemo(summary, config.publicUrl));
      console.log(`\nStart the server with: npx kumppani serve`);
    } finally {
      await database.close();
    }
  });

const admin = program.command('admin').description('Instance administration');
admin
  .command('create')
  .description('Create an instance operator (or make an existing user one)')
  .requiredOption('--email <email>', 'the operator’s email')
  .option('--name <name>', 'display name', 'Operator')
  .option('--password <password>', 'password (default: generated and printed once)')
  .addOption(databaseOption())
  .addOption(dataDirOption())
  .action(async (flags) => {
    const { config, database } = await openContext(flags, { migrate: true });
    try {
      const password: string = flags.password ?? randomBytes(12).toString('base64url');
      const accounts = accountsService({ db: database.db, secret: config.secret, clock: systemClock });
      const { user, created } = await accounts.createOperator({ email: flags.email, password, name: flags.name });
      if (created) {
        console.log(`Operator ${user.email} created (${user.id}).`);
        if (!flags.password) console.log(`Password: ${password}   (shown once)`);
      } else {
        console.log(`${user.email} is now an operator; the password is unchanged.`);
      }
    } finally {
      await database.close();
    }
  });

const apikey = program.command('apikey').description('API keys');
apikey
  .command('create')
  .description('Create an API key for a workspace; the key is printed once')
  .requiredOption('--workspace <id-or-name>', 'workspace id (ws_…) or exact name')
  .addOption(new Option('--role <role>', 'the key’s role').choices(['owner', 'manager', 'viewer']).default('manager'))
  .option('--name <name>', 'a name to recognise the key by', 'Command line')
  .addOption(databaseOption())
  .addOption(dataDirOption())
  .action(async (flags) => {
    const { config, database } = await openContext(flags, { migrate: true });
    try {
      const ws =
        (await findWorkspace(database.db, flags.workspace)) ??
        (await findWorkspaceByName(database.db, flags.workspace));
      if (!ws) throw new StartupError(`no workspace ${flags.workspace}`);
      const accounts = accountsService({ db: database.db, secret: config.secret, clock: systemClock });
      const { apiKey, key } = await accounts.createWorkspaceKey(ws.id, flags.name, flags.role);
      console.log(`API key ${apiKey.id} (${apiKey.role}) for ${ws.name}:`);
      console.log(key);
    } finally {
      await database.close();
    }
  });

payoutCommands(program);

const commissionsCommand = program.command('commissions').description('The commission ledger');
commissionsCommand
  .command('approve-due')
  .description(
    'Approve every pending commission whose holding period has ended and that no fraud flag holds (the server also does this every minute)',
  )
  .option('--at <time>', 'approve as of this ISO 8601 time (not later than now) instead of now')
  .addOption(databaseOption())
  .addOption(dataDirOption())
  .action(async (flags) => {
    const { database } = await openContext(flags, { migrate: true });
    try {
      const at = flags.at ? new Date(flags.at) : new Date();
      if (Number.isNaN(at.getTime())) throw new StartupError(`--at ${flags.at} is not an ISO 8601 time`);
      // A time to come would approve commissions whose holding period has not ended.
      if (at.getTime() > Date.now()) {
        throw new StartupError(
          `--at ${flags.at} is in the future: commissions are approved only once their holding period has ended`,
        );
      }
      const approved = await commissionsService({ db: database.db, clock: systemClock }).approveDue(at);
      console.log(
        `Approved ${approved} commission${approved === 1 ? '' : 's'} whose holding period ended by ${at.toISOString()}.`,
      );
    } finally {
      await database.close();
    }
  });

analyticsCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof StartupError || err instanceof AppError) {
    process.stderr.write(`kumppani: ${err.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`kumppani: ${(err as Error)?.message ?? String(err)}\n`);
  process.exit(1);
}
