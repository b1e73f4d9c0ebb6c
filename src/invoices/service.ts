/**
 * Self-billing invoices: the brand's invoicing details, the creator's consent (given once), and
 * the invoices themselves as the API, the printable page and the PDF show them. The invoices are
 * issued by the payout run that makes their payout (payouts/self-billing.ts).
 */
import type { Db } from '../db/database.js';
import type { InvoicesTable } from '../db/schema.js';
import type { PayoutViewer } from '../payouts/reads.js';
import { brandParty, type InvoiceParty } from '../payouts/self-billing.js';
import type { Clock } from '../shared/clock.js';
import { AppError, notFound } from '../shared/errors.js';
import type { WorkspaceScope } from '../shared/principal.js';
import type { BrandBilling, BrandBillingInput, Consent, CreditNote, Invoice, InvoiceSummary } from './schemas.js';

/** The wording a creator agrees to; kept with the consent. */
export const SELF_BILLING_AGREEMENT =
  'I agree that the brands whose programs pay me issue my invoices for the commissions they pay ' +
  '(self-billing), in my name and on my behalf, each numbered in an unbroken sequence per brand; ' +
  'I will not issue invoices of my own for the same commissions, and I tell a brand at once if an ' +
  'invoice it issued is wrong or my VAT status changes.';

type InvoiceRow = InvoicesTable & {
  payout_status: string;
  credit_note_id: string | null;
  credit_note_number: number | null;
  credit_note_issued_at: string | null;
};

function summaryOf(r: InvoiceRow): InvoiceSummary {
  return {
    id: r.id,
    payoutId: r.payout_id,
    number: Number(r.number),
    series: `${r.workspace_id}/${r.creator_id}`,
    creatorId: r.creator_id,
    workspaceId: r.workspace_id,
    issuedAt: r.issued_at,
    currency: r.currency,
    netAmount: Number(r.net_amount),
    vatAmount: Number(r.vat_amount),
    totalAmount: Number(r.net_amount) + Number(r.vat_amount),
    vatTreatment: r.vat_treatment,
    vatRateBps: r.vat_rate_bps,
    payoutStatus: r.payout_status,
    creditNote:
      r.credit_note_id && r.credit_note_issued_at
        ? { id: r.credit_note_id, number: Number(r.credit_note_number), issuedAt: r.credit_note_issued_at }
        : null,
  };
}

export function invoicesService({ db, clock }: { db: Db; clock: Clock }) {
  const invoiceRows = () =>
    db
      .selectFrom('invoices as i')
      .innerJoin('payouts as p', 'p.id', 'i.payout_id')
      .leftJoin('credit_notes as n', 'n.invoice_id', 'i.id')
      .selectAll('i')
      .select([
        'p.status as payout_status',
        'n.id as credit_note_id',
        'n.number as credit_note_number',
        'n.issued_at as credit_note_issued_at',
      ]);

  async function getBilling(scope: WorkspaceScope): Promise<BrandBilling> {
    const party = await brandParty(db, scope.workspaceId);
    const w = await db
      .selectFrom('workspaces')
      .select('billing_legal_name')
      .where('id', '=', scope.workspaceId)
      .executeTakeFirstOrThrow();
    return {
      legalName: w.billing_legal_name,
      address: party.address,
      businessId: party.businessId,
      vatNumber: party.vatNumber,
      complete: party.complete,
    };
  }

  async function putBilling(scope: WorkspaceScope, input: BrandBillingInput): Promise<BrandBilling> {
    await db
      .updateTable('workspaces')
      .set({
        billing_legal_name: input.legalName,
        billing_address: JSON.stringify(input.address),
        billing_business_id: input.businessId ?? null,
        billing_vat_number: input.vatNumber ?? null,
      })
      .where('id', '=', scope.workspaceId)
      .execute();
    return getBilling(scope);
  }

  async function getConsent(creatorId: string): Promise<Consent> {
    const row = await db
      .selectFrom('self_billing_consents')
      .selectAll()
      .where('creator_id', '=', creatorId)
      .executeTakeFirst();
    if (!row) throw notFound('Self-billing consent');
    return { creatorId, agreement: row.agreement, givenAt: row.given_at };
  }

  /** Records the creator's consent once; giving it again answers the consent first given. */
  async function consent(creatorId: string, actor: string): Promise<{ consent: Consent; created: boolean }> {
    const inserted = await db
      .insertInto('self_billing_consents')
      .values({ creator_id: creatorId, agreement: SELF_BILLING_AGREEMENT, actor, given_at: clock.now().toISOString() })
      .onConflict((oc) => oc.column('creator_id').doNothing())
      .executeTakeFirst();
    return { consent: await getConsent(creatorId), created: Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1 };
  }

  async function list(
    viewer: PayoutViewer,
    opts: { limit: number; before?: string | undefined; creatorId?: string | undefined },
  ): Promise<InvoiceSummary[]> {
    let q = invoiceRows().orderBy('i.id', 'desc').limit(opts.limit);
    q =
      'workspaceId' in viewer
        ? q.where('i.workspace_id', '=', viewer.workspaceId)
        : q.where('i.creator_id', '=', viewer.creatorId);
    if (opts.creatorId) q = q.where('i.creator_id', '=', opts.creatorId);
    if (opts.before) q = q.where('i.id', '<', opts.before);
    return (await q.execute()).map(summaryOf);
  }

  /** The invoice of a payout the viewer may see, with its entries; 404 for anyone else's. */
  async function ofPayout(viewer: PayoutViewer, payoutId: string): Promise<Invoice> {
    const payout = await db
      .selectFrom('payouts as p')
      .innerJoin('programs as g', 'g.id', 'p.program_id')
      .select([
        'p.id',
        'p.workspace_id',
        'p.creator_id',
        'p.method',
        'p.status',
        'p.paid_at',
        'p.reference',
        'p.program_id',
        'g.name as program_name',
      ])
      .where('p.id', '=', payoutId)
      .executeTakeFirst();
    const visible =
      payout &&
      ('workspaceId' in viewer ? payout.workspace_id === viewer.workspaceId : payout.creator_id === viewer.creatorId);
    if (!payout || !visible) throw notFound('Payout');
    const row = await invoiceRows().where('i.payout_id', '=', payoutId).executeTakeFirst();
    if (!row) {
      throw new AppError(
        'INVOICE_NOT_ISSUED',
        'This payout has no self-billing invoice: it was made before every payout came with one, when its creator had not agreed to self-billing',
      );
    }
    const entries = await db
      .selectFrom('payout_items as pi')
      .innerJoin('commissions as c', 'c.id', 'pi.commission_id')
      .leftJoin('conversions as v', 'v.id', 'c.conversion_id')
      .select(['c.id', 'c.created_at', 'c.kind', 'c.explanation', 'v.external_id', 'pi.amount'])
      .where('pi.payout_id', '=', payoutId)
      .orderBy('c.created_at')
      .orderBy('c.id')
      .execute();
    const consentRow = await db
      .selectFrom('self_billing_consents')
      .select('given_at')
      .where('creator_id', '=', row.creator_id)
      .executeTakeFirst();
    const seller = JSON.parse(row.seller) as InvoiceParty;
    return {
      ...summaryOf(row),
      seller: { ...seller, vatRegistered: seller.vatRegistered ?? false },
      buyer: JSON.parse(row.buyer) as InvoiceParty,
      period: { from: entries[0]?.created_at ?? null, to: entries[entries.length - 1]?.created_at ?? null },
      entries: entries.map((e) => ({
        commissionId: e.id,
        at: e.created_at,
        orderId: e.external_id,
        kind: e.kind,
        description: e.explanation,
        amount: Number(e.amount),
      })),
      program: { id: payout.program_id, name: payout.program_name },
      payout: {
        id: payout.id,
        method: payout.method,
        status: payout.status,
        paidAt: payout.paid_at,
        reference: payout.reference,
      },
      consentGivenAt: consentRow?.given_at ?? null,
    };
  }

  /** The credit note that cancelled a failed payout's invoice; 404 for a payout the viewer may not see. */
  async function creditNoteOfPayout(viewer: PayoutViewer, payoutId: string): Promise<CreditNote> {
    const payout = await db
      .selectFrom('payouts')
      .select(['workspace_id', 'creator_id', 'status'])
      .where('id', '=', payoutId)
      .executeTakeFirst();
    const visible =
      payout &&
      ('workspaceId' in viewer ? payout.workspace_id === viewer.workspaceId : payout.creator_id === viewer.creatorId);
    if (!payout || !visible) throw notFound('Payout');
    const note = await db.selectFrom('credit_notes').selectAll().where('payout_id', '=', payoutId).executeTakeFirst();
    if (!note) {
      throw new AppError(
        'CREDIT_NOTE_NOT_ISSUED',
        payout.status === 'failed'
          ? 'This failed payout had no self-billing invoice, so there is no credit note to cancel it'
          : `A credit note cancels the invoice of a failed payout; this payout is ${payout.status}`,
      );
    }
    const { creditNote: _cancelled, ...invoice } = await ofPayout(viewer, payoutId);
    const net = Number(note.net_amount);
    const vat = Number(note.vat_amount);
    return {
      ...invoice,
      id: note.id,
      number: Number(note.number),
      issuedAt: note.issued_at,
      netAmount: net,
      vatAmount: vat,
      totalAmount: net + vat,
      entries: invoice.entries.map((e) => ({ ...e, amount: -e.amount })),
      invoiceId: invoice.id,
      invoiceNumber: invoice.number,
      invoiceIssuedAt: invoice.issuedAt,
      reason: note.reason,
    };
  }

  return { getBilling, putBilling, getConsent, consent, list, ofPayout, creditNoteOfPayout };
}

export type InvoicesService = ReturnType<typeof invoicesService>;
