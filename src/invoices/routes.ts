import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decodeCursor, errorBody, errorResponses, idParams, listOf, page } from '../http/schemas.js';
import { payoutViewerOf } from '../payouts/reads.js';
import { actorOf } from '../payouts/routes.js';
import { AppError } from '../shared/errors.js';
import { workspaceScope } from '../shared/principal.js';
import { layoutCreditNote, layoutInvoice } from './document.js';
import { invoiceHtml, invoicePdf } from './render.js';
import {
  brandBillingBody,
  brandBillingSchema,
  consentBody,
  consentSchema,
  creditNoteSchema,
  invoiceQuery,
  invoiceSchema,
  invoiceSummarySchema,
  listInvoicesQuery,
} from './schemas.js';
import type { InvoicesService } from './service.js';

/** Printable pages: their own inline styles, nothing else. */
const HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'";

/** The brand's invoicing details, the creator's consent to self-billing, and the invoices. */
export const invoiceRoutes: FastifyPluginAsyncZod<{ invoices: InvoicesService }> = async (app, { invoices }) => {
  const creatorOf = (p: { creatorId: string | null } | undefined): string => {
    if (!p?.creatorId) throw new AppError('FORBIDDEN', 'This needs a creator account');
    return p.creatorId;
  };

  app.get(
    '/api/v1/workspace/billing',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['invoices'],
        summary: "The brand's invoicing details: the buyer on the self-billing invoices it issues",
        response: { 200: brandBillingSchema, ...errorResponses },
      },
    },
    async (request) => invoices.getBilling(workspaceScope(request.principal)),
  );

  app.put(
    '/api/v1/workspace/billing',
    {
      config: { access: 'manager' },
      schema: {
        tags: ['invoices'],
        summary: "Set the brand's legal name, address, business id and VAT number for self-billing invoices",
        body: brandBillingBody,
        response: { 200: brandBillingSchema, ...errorResponses },
      },
    },
    async (request) => invoices.putBilling(workspaceScope(request.principal), request.body),
  );

  app.get(
    '/api/v1/creators/me/self-billing-consent',
    {
      config: { access: 'creator' },
      schema: {
        tags: ['invoices'],
        summary: "The creator's consent to self-billing, if given (404 until then)",
        response: { 200: consentSchema, ...errorResponses },
      },
    },
    async (request) => invoices.getConsent(creatorOf(request.principal)),
  );

  app.post(
    '/api/v1/creators/me/self-billing-consent',
    {
      config: { access: 'creator' },
      schema: {
        tags: ['invoices'],
        summary:
          'Agree that brands issue the creator’s invoices (self-billing). Recorded once: 201 the first time, then 200 with the consent first given',
        body: consentBody,
        response: { 200: consentSchema, 201: consentSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { consent, created } = await invoices.consent(creatorOf(request.principal), actorOf(request.principal));
      return reply.status(created ? 201 : 200).send(consent);
    },
  );

  app.get(
    '/api/v1/invoices',
    {
      config: { access: 'brandOrCreator' },
      schema: {
        tags: ['invoices'],
        summary: "Self-billing invoices, newest first: a brand's, or a creator's own",
        querystring: listInvoicesQuery,
        response: { 200: listOf(invoiceSummarySchema), ...errorResponses },
      },
    },
    async (request) => {
      const { limit, cursor, creatorId } = request.query;
      const rows = await invoices.list(payoutViewerOf(request.principal!), {
        limit: limit + 1,
        before: decodeCursor(cursor),
        creatorId,
      });
      return page(rows, limit);
    },
  );

  app.get(
    '/api/v1/payouts/:id/invoice',
    {
      config: { access: 'brandOrCreator', resource: 'payout' },
      schema: {
        tags: ['invoices'],
        summary:
          'The self-billing invoice of a payout, issued by the brand in the creator’s name: printable HTML, PDF or JSON, in English or Finnish',
        params: idParams,
        querystring: invoiceQuery,
        response: {
          200: invoiceSchema.or(z.any().meta({ description: 'the invoice as HTML or PDF' })),
          ...errorResponses,
          409: errorBody,
        },
      },
    },
    async (request, reply) => {
      const invoice = await invoices.ofPayout(payoutViewerOf(request.principal!), request.params.id);
      const { format, lang } = request.query;
      if (format === 'json') return invoice;
      const layout = layoutInvoice(invoice, lang);
      const name = `invoice-${invoice.number}-${invoice.payoutId}`;
      if (format === 'pdf') {
        reply.type('application/pdf');
        reply.header('content-disposition', `inline; filename="${name}.pdf"`);
        return reply.send(await invoicePdf(layout));
      }
      reply.type('text/html; charset=utf-8');
      reply.header('content-security-policy', HTML_CSP);
      return invoiceHtml(layout);
    },
  );

  app.get(
    '/api/v1/payouts/:id/credit-note',
    {
      config: { access: 'brandOrCreator', resource: 'payout' },
      schema: {
        tags: ['invoices'],
        summary:
          'The credit note that cancelled the self-billing invoice of a failed payout (numbered in the invoices’ series): printable HTML, PDF or JSON, in English or Finnish. 409 CREDIT_NOTE_NOT_ISSUED when the payout has not failed or had no invoice',
        params: idParams,
        querystring: invoiceQuery,
        response: {
          200: creditNoteSchema.or(z.any().meta({ description: 'the credit note as HTML or PDF' })),
          ...errorResponses,
          409: errorBody,
        },
      },
    },
    async (request, reply) => {
      const note = await invoices.creditNoteOfPayout(payoutViewerOf(request.principal!), request.params.id);
      const { format, lang } = request.query;
      if (format === 'json') return note;
      const layout = layoutCreditNote(note, lang);
      const name = `credit-note-${note.number}-${note.payoutId}`;
      if (format === 'pdf') {
        reply.type('application/pdf');
        reply.header('content-disposition', `inline; filename="${name}.pdf"`);
        return reply.send(await invoicePdf(layout));
      }
      reply.type('text/html; charset=utf-8');
      reply.header('content-security-policy', HTML_CSP);
      return invoiceHtml(layout);
    },
  );
};
