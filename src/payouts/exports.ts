import type { Db } from '../db/database.js';
import { sql } from '../db/kysely.js';
import type { PayoutMethod } from '../db/schema.js';
import { findProgram } from '../programs/repository.js';
import type { Clock } from '../shared/clock.js';
import { AppError, notFound } from '../shared/errors.js';
import type { WorkspaceScope } from '../shared/principal.js';
import { openSecret } from '../shared/secrets.js';
import { paypalRow, wiseHeader, wiseRow } from './csv.js';
import { profileContext } from './profiles.js';
import { findPayout, findRun } from './repository.js';
import { type SepaTransfer, type SepaVersion, sepaFile } from './sepa.js';
import { allowedMethodsOf, settingsRowOf } from './settings.js';

export type ExportFormat = 'sepa-xml' | 'paypal-csv' | 'wise-csv';

const methodOf: Record<ExportFormat, PayoutMethod> = { 'sepa-xml': 'sepa', 'paypal-csv': 'paypal', 'wise-csv': 'wise' };

export interface PayoutFile {
  filename: string;
  contentType: string;
  count: number;
  sum: number;
  body: AsyncIterable<string>;
}

interface FileRow {
  id: string;
  creator_id: string;
  amount: number;
  vat_amount: number;
  currency: string;
  details_sealed: string | null;
  creator_name: string;
  legal_name: string | null;
  vat_registered: number | null;
  business_id: string | null;
  target_currency: string | null;
}

const PAGE = 1000;

/**
 * Payout files, one per run and method (or for a single payout): only payouts still to be sent
 * (pending or processing) are in a file, so a file made again after some were paid or failed
 * cannot pay them twice. Rows are read a page at a time and written as they are read.
 */
export function payoutExportsService({ db, clock, secret }: { db: Db; clock: Clock; secret: string }) {
  async function* rowsOf(
    target: { runId: string } | { payoutId: string },
    method: PayoutMethod,
    onRow?: () => void,
  ): AsyncGenerator<FileRow> {
    let after = '';
    for (;;) {
      let q = db
        .selectFrom('payouts as p')
        .innerJoin('creators as c', 'c.id', 'p.creator_id')
        .leftJoin('payout_profiles as f', 'f.creator_id', 'p.creator_id')
        .select([
          'p.id',
          'p.creator_id',
          'p.amount',
          'p.vat_amount',
          'p.currency',
          'p.details_sealed',
          'c.name as creator_name',
          'f.legal_name',
          'f.vat_registered',
          'f.business_id',
          'f.currency as target_currency',
        ])
        .where('p.method', '=', method)
        .where('p.status', 'in', ['pending', 'processing'])
        .where('p.id', '>', after)
        .orderBy('p.id')
        .limit(PAGE);
      q = 'runId' in target ? q.where('p.run_id', '=', target.runId) : q.where('p.id', '=', target.payoutId);
      const page = await q.execute();
      for (const r of page) {
        onRow?.();
        yield r;
      }
      if (page.length < PAGE) return;
      after = page[page.length - 1]?.id ?? after;
    }
  }

  function details(r: FileRow): Record<string, string> {
    if (!r.details_sealed) {
      throw new AppError('CONFLICT', `Payout ${r.id} has no payout details; fail it and pay it in a later run`);
    }
    return JSON.parse(openSecret(r.details_sealed, secret, profileContext(r.creator_id))) as Record<string, string>;
  }

  async function build(
    scope: WorkspaceScope,
    target: { runId: string } | { payoutId: string },
    format: ExportFormat,
    options: { version?: SepaVersion; executionDate?: string | undefined; onRow?: () => void } = {},
  ): Promise<PayoutFile> {
    const method = methodOf[format];
    const owner = 'runId' in target ? await findRun(db, target.runId) : await findPayout(db, target.payoutId);
    if (!owner || owner.workspace_id !== scope.workspaceId) throw notFound('runId' in target ? 'Payout run' : 'Payout');
    if ('payoutId' in target && 'method' in owner && owner.method !== method) {
      throw new AppError(
        'PAYOUT_METHOD_NOT_ALLOWED',
        `Payout ${owner.id} is paid by ${owner.method}; a ${format} file cannot hold it`,
        [{ path: 'querystring.format', message: `this payout is paid by ${owner.method}` }],
      );
    }
    const program = await findProgram(db, scope, owner.program_id);
    if (!program) throw notFound('Program');
    const allowed = allowedMethodsOf(await settingsRowOf(db, program.id, clock.now()));
    if (!allowed.includes(method)) {
      throw new AppError('PAYOUT_METHOD_NOT_ALLOWED', `This program does not pay by ${method}`, [
        { path: 'querystring.format', message: `allowed: ${allowed.join(', ')}` },
      ]);
    }
    let totals = db
      .selectFrom('payouts')
      .select([
        (eb) => eb.fn.countAll<number | string>().as('n'),
        sql<number | string>`sum(amount + vat_amount)`.as('s'),
      ])
      .where('method', '=', method)
      .where('status', 'in', ['pending', 'processing']);
    totals = 'runId' in target ? totals.where('run_id', '=', target.runId) : totals.where('id', '=', target.payoutId);
    const t = await totals.executeTakeFirstOrThrow();
    const count = Number(t.n);
    const sum = Number(t.s ?? 0);
    const id = 'runId' in target ? target.runId : target.payoutId;

    if (method === 'sepa') {
      if (program.currency !== 'EUR') {
        throw new AppError('CURRENCY_MISMATCH', `A SEPA file pays euros; this program pays in ${program.currency}`);
      }
      if (!program.payoutAccount) {
        throw new AppError(
          'PAYOUT_ACCOUNT_MISSING',
          "Set the program's payoutAccount {iban, bic, name}: the account SEPA payouts are paid from",
        );
      }
      if (count === 0) throw new AppError('CONFLICT', 'Nothing to pay by SEPA: no pending or processing payouts');
      const version = options.version ?? '09';
      const now = clock.now();
      const executionDate = options.executionDate ?? nextBankingDay(now);
      const debtor = program.payoutAccount;
      const transfers = async function* (): AsyncGenerator<SepaTransfer> {
        for await (const r of rowsOf(target, 'sepa', options.onRow)) {
          const d = details(r);
          yield {
            endToEndId: r.id,
            amount: r.amount + r.vat_amount,
            name: d.accountName ?? r.legal_name ?? r.creator_name,
            iban: d.iban ?? '',
            bic: d.bic,
            remittance: `${program.name} commissions, payout ${r.id}`,
          };
        }
      };
      return {
        filename: `kumppani-${id}-sepa-pain.001.001.${version}.xml`,
        contentType: 'application/xml; charset=utf-8',
        count,
        sum,
        body: sepaFile(
          version,
          {
            messageId: id,
            paymentInfoId: id,
            createdAt: now,
            executionDate,
            count,
            sum,
            debtor,
          },
          transfers(),
        ),
      };
    }

    const body = async function* (): AsyncGenerator<string> {
      let batch = method === 'wise' ? wiseHeader : '';
      for await (const r of rowsOf(target, method, options.onRow)) {
        const d = details(r);
        batch +=
          method === 'paypal'
            ? paypalRow({
                email: d.paypalEmail ?? '',
                amount: r.amount + r.vat_amount,
                currency: r.currency,
                customerId: r.id,
                note: `${program.name}: commissions of payout ${r.id}`,
              })
            : wiseRow({
                name: d.accountName ?? r.legal_name ?? r.creator_name,
                email: d.wiseEmail,
                iban: d.iban,
                bic: d.bic,
                reference: r.id,
                business: Boolean(r.business_id),
                amount: r.amount + r.vat_amount,
                sourceCurrency: r.currency,
                targetCurrency: r.target_currency ?? r.currency,
              });
        if (batch.length > 64 * 1024) {
          yield batch;
          batch = '';
        }
      }
      yield batch;
    };
    return {
      filename: `kumppani-${id}-${format}.csv`,
      contentType: 'text/csv; charset=utf-8',
      count,
      sum,
      body: body(),
    };
  }

  return { build };
}

/** The next weekday after `now` (UTC): a SEPA file asks the bank to pay then. */
export function nextBankingDay(now: Date): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

export type PayoutExportsService = ReturnType<typeof payoutExportsService>;
