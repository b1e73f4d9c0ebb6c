import { z } from 'zod';
import { listQuery, timestamp } from '../http/schemas.js';
import { locales } from '../mail/kinds.js';
import { address } from '../payouts/schemas.js';

export const brandBillingBody = z
  .strictObject({
    legalName: z.string().trim().min(1).max(140),
    address,
    businessId: z.string().trim().min(1).max(40).nullable().optional(),
    vatNumber: z
      .string()
      .trim()
      .transform((s) => s.replace(/[\s.-]/g, '').toUpperCase())
      .refine(
        (s) => /^[A-Z]{2}[A-Z0-9]{2,13}$/.test(s),
        'must be a VAT number with its country prefix, e.g. FI12345678',
      )
      .nullable()
      .optional(),
  })
  .meta({
    id: 'PutBrandBilling',
    description: "The brand's invoicing details: the buyer on every self-billing invoice it issues for its creators",
  });

export type BrandBillingInput = z.infer<typeof brandBillingBody>;

const addressOut = z.object({
  line1: z.string(),
  line2: z.string().optional(),
  postalCode: z.string(),
  city: z.string(),
  region: z.string().optional(),
  country: z.string(),
});

export const brandBillingSchema = z
  .object({
    legalName: z.string().nullable(),
    address: addressOut.nullable(),
    businessId: z.string().nullable(),
    vatNumber: z.string().nullable(),
    complete: z.boolean().meta({ description: 'legal name and address are given: invoices can be issued' }),
  })
  .meta({ id: 'BrandBilling' });

export type BrandBilling = z.infer<typeof brandBillingSchema>;

export const consentBody = z
  .strictObject({
    agree: z.literal(true).meta({ description: 'true: the creator agrees that brands issue its invoices' }),
  })
  .meta({ id: 'SelfBillingConsentBody' });

export const consentSchema = z
  .object({
    creatorId: z.string(),
    agreement: z.string().meta({ description: 'the wording the creator agreed to' }),
    givenAt: timestamp,
  })
  .meta({ id: 'SelfBillingConsent' });

export type Consent = z.infer<typeof consentSchema>;

const party = z.object({
  name: z.string(),
  address: addressOut.nullable(),
  country: z.string().nullable(),
  businessId: z.string().nullable(),
  vatNumber: z.string().nullable(),
});

export const vatTreatment = z.enum(['vat_added', 'reverse_charge', 'not_vat_registered']);

export const invoiceSummarySchema = z
  .object({
    id: z.string(),
    payoutId: z.string(),
    number: z.number().int().meta({ description: 'numbered 1, 2, 3 … without gaps per creator and brand' }),
    series: z.string().meta({ description: 'the numbering series: the brand and the creator' }),
    creatorId: z.string(),
    workspaceId: z.string(),
    issuedAt: timestamp,
    currency: z.string(),
    netAmount: z.number().int(),
    vatAmount: z.number().int(),
    totalAmount: z.number().int(),
    vatTreatment,
    vatRateBps: z.number().int(),
    payoutStatus: z.string(),
    creditNote: z
      .object({ id: z.string(), number: z.number().int(), issuedAt: timestamp })
      .nullable()
      .meta({ description: 'the credit note that cancelled this invoice when its payout failed, if any' }),
  })
  .meta({ id: 'InvoiceSummary' });

export type InvoiceSummary = z.infer<typeof invoiceSummarySchema>;

export const invoiceSchema = invoiceSummarySchema
  .extend({
    seller: party
      .extend({ vatRegistered: z.boolean() })
      .meta({ description: 'the creator, in whose name it is issued' }),
    buyer: party.meta({ description: 'the brand, which issues it on the creator’s behalf' }),
    period: z.object({ from: z.string().nullable(), to: z.string().nullable() }),
    entries: z.array(
      z.object({
        commissionId: z.string(),
        at: timestamp,
        orderId: z.string().nullable(),
        kind: z.enum(['sale', 'lead', 'reversal']),
        description: z.string(),
        amount: z.number().int(),
      }),
    ),
    program: z.object({ id: z.string(), name: z.string() }),
    payout: z.object({
      id: z.string(),
      method: z.string(),
      status: z.string(),
      paidAt: z.string().nullable(),
      reference: z.string().nullable(),
    }),
    consentGivenAt: z.string().nullable(),
  })
  .meta({ id: 'Invoice' });

export type Invoice = z.infer<typeof invoiceSchema>;

export const invoiceQuery = z.strictObject({
  format: z.enum(['html', 'pdf', 'json']).default('html').meta({ description: 'html is printable' }),
  lang: z.enum(locales).default('en').meta({ description: 'The language of the HTML and PDF: en or fi' }),
});

export const listInvoicesQuery = listQuery.extend({
  creatorId: z.string().max(64).optional().meta({ description: "a brand's list: one creator's invoices" }),
});

export const creditNoteSchema = invoiceSchema
  .omit({ creditNote: true })
  .extend({
    id: z.string(),
    number: z
      .number()
      .int()
      .meta({ description: 'the next number of the invoices’ own series: one series per creator and brand' }),
    invoiceId: z.string(),
    invoiceNumber: z.number().int().meta({ description: 'the number of the invoice this credit note cancels' }),
    invoiceIssuedAt: timestamp,
    reason: z.string().meta({ description: 'why: the payout failed, and how' }),
  })
  .meta({
    id: 'CreditNote',
    description:
      "Cancels a failed payout's self-billing invoice: the invoice's entries and amounts negated; the entries went back to the balance",
  });

export type CreditNote = z.infer<typeof creditNoteSchema>;
