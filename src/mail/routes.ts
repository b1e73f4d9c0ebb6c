import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Db } from '../db/database.js';
import { decodeCursor, errorResponses, idParams, listOf, page } from '../http/schemas.js';
import { AppError } from '../shared/errors.js';
import type { Principal } from '../shared/principal.js';
import type { MoneyNotices } from './notices.js';
import {
  emailMessageSchema,
  emailPreferencesSchema,
  emailSummarySchema,
  listEmailsQuery,
  updateEmailPreferencesBody,
} from './schemas.js';
import type { MailService } from './service.js';

/** The person behind the token: a session's user, or the user of a creator's own API key. */
async function personOf(db: Db, principal: Principal | undefined): Promise<string> {
  if (principal?.userId) return principal.userId;
  if (principal?.creatorId) {
    const creator = await db
      .selectFrom('creators')
      .select('user_id')
      .where('id', '=', principal.creatorId)
      .executeTakeFirst();
    if (creator?.user_id) return creator.user_id;
  }
  throw new AppError('FORBIDDEN', 'Email preferences belong to a person: use a session or a creator key');
}

export const mailRoutes: FastifyPluginAsyncZod<{ mail: MailService; db: Db }> = async (app, { mail, db }) => {
  app.get(
    '/api/v1/me/email-preferences',
    {
      config: { access: 'any' },
      schema: {
        tags: ['email'],
        summary: 'The language of your emails and which kinds you receive',
        response: { 200: emailPreferencesSchema, ...errorResponses },
      },
    },
    async (request) => mail.preferences(await personOf(db, request.principal)),
  );

  app.put(
    '/api/v1/me/email-preferences',
    {
      config: { access: 'any' },
      schema: {
        tags: ['email'],
        summary: 'Choose the language of your emails and turn kinds of email on or off',
        body: updateEmailPreferencesBody,
        response: { 200: emailPreferencesSchema, ...errorResponses },
      },
    },
    async (request) => mail.setPreferences(await personOf(db, request.principal), request.body),
  );

  app.get(
    '/api/v1/admin/emails',
    {
      config: { access: 'operator' },
      schema: {
        tags: ['operator'],
        summary: 'The outbox: every email the instance wrote, newest first (operator only)',
        querystring: listEmailsQuery,
        response: { 200: listOf(emailSummarySchema), ...errorResponses },
      },
    },
    async (request) => {
      const { limit, cursor, status, to } = request.query;
      return page(await mail.listMessages({ limit: limit + 1, before: decodeCursor(cursor), status, to }), limit);
    },
  );

  app.get(
    '/api/v1/admin/emails/:id',
    {
      config: { access: 'operator', resource: 'email' },
      schema: {
        tags: ['operator'],
        summary: 'One email with its text and HTML bodies (operator only)',
        params: idParams,
        response: { 200: emailMessageSchema, ...errorResponses },
      },
    },
    async (request) => mail.getMessage(request.params.id),
  );
};

declare module 'fastify' {
  interface FastifyInstance {
    /** The mailer: the outbox, SMTP delivery and preferences. */
    mail: MailService;
    /** What payouts and other money code call to tell a creator about their money. */
    moneyNotices: MoneyNotices;
  }
}
