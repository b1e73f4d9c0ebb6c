import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../config/config.js';
import { errorBody, errorResponses } from '../http/schemas.js';
import { AppError } from '../shared/errors.js';
import type { RecoveryService } from './recovery.js';
import { emailLinkRequestBody, passwordResetBody, userSchema, verifyEmailBody } from './schemas.js';

export const recoveryRoutes: FastifyPluginAsyncZod<{ recovery: RecoveryService; config: Config }> = async (
  app,
  { recovery, config },
) => {
  const authLimit = { max: config.authRateLimit.max, timeWindow: config.authRateLimit.windowMs };

  app.post(
    '/api/v1/auth/password-reset',
    {
      config: { access: 'public', rateLimit: authLimit },
      schema: {
        tags: ['accounts'],
        summary: 'Ask for a password reset link by email; the answer is the same whether the address has an account',
        security: [],
        body: emailLinkRequestBody.meta({ id: 'PasswordResetRequest' }),
        response: { 202: z.object({ accepted: z.literal(true) }), 400: errorBody, 429: errorBody },
      },
    },
    async (request, reply) => {
      await recovery.requestReset(request.body.email);
      return reply.status(202).send({ accepted: true });
    },
  );

  app.post(
    '/api/v1/auth/password-reset/confirm',
    {
      config: { access: 'public', rateLimit: authLimit },
      schema: {
        tags: ['accounts'],
        summary: 'Set a new password with the token of a reset link; every session of the account ends',
        security: [],
        body: passwordResetBody,
        response: { 204: z.null(), 400: errorBody, 429: errorBody },
      },
    },
    async (request, reply) => {
      await recovery.resetPassword(request.body.token, request.body.password);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/auth/verify-email',
    {
      config: { access: 'public', rateLimit: authLimit },
      schema: {
        tags: ['accounts'],
        summary: 'Confirm an email address with the token of the link sent at signup',
        security: [],
        body: verifyEmailBody,
        response: { 200: z.object({ user: userSchema }), 400: errorBody, 429: errorBody },
      },
    },
    async (request) => ({ user: await recovery.verifyEmail(request.body.token) }),
  );

  app.post(
    '/api/v1/auth/verify-email/request',
    {
      config: { access: 'public', rateLimit: authLimit },
      schema: {
        tags: ['accounts'],
        summary:
          'Ask for a new confirmation link by email, without signing in; the answer is the same whether the address has an account waiting for confirmation or not',
        description:
          'Where signup is confirmed by email, an account cannot sign in before its address is confirmed, so ' +
          'a link that expired is replaced here. An address with no account, or one already confirmed, gets ' +
          'nothing; at most one link a minute is sent to an address.',
        security: [],
        body: emailLinkRequestBody.meta({ id: 'VerificationRequest' }),
        response: { 202: z.object({ accepted: z.literal(true) }), 400: errorBody, 429: errorBody },
      },
    },
    async (request, reply) => {
      await recovery.requestVerification(request.body.email);
      return reply.status(202).send({ accepted: true });
    },
  );

  app.post(
    '/api/v1/auth/verify-email/resend',
    {
      config: { access: 'any', rateLimit: authLimit },
      schema: {
        tags: ['accounts'],
        summary: "Send the verification link to the signed-in person's address again",
        response: { 202: z.object({ accepted: z.literal(true) }), ...errorResponses, 409: errorBody },
      },
    },
    async (request, reply) => {
      const userId = request.principal?.userId;
      if (!userId) throw new AppError('FORBIDDEN', 'Sign in with a session to verify your email address');
      await recovery.sendVerification(userId);
      return reply.status(202).send({ accepted: true });
    },
  );
};
