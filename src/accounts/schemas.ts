import { z } from 'zod';
import { timestamp } from '../http/schemas.js';

export const email = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email('must be an email address'))
  .transform((s) => s.toLowerCase());

export const signupBody = z
  .strictObject({
    email,
    password: z.string().min(1).max(1024),
    name: z.string().trim().min(1).max(200),
    kind: z.enum(['brand', 'creator']),
    workspaceName: z.string().trim().min(1).max(200).optional(),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code')
      .optional(),
    inviteCode: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .optional()
      .meta({ description: "An operator's invitation code (kbi_…), where brands sign up by invitation" }),
  })
  .meta({ id: 'Signup' });

/** The token of an emailed link (email confirmation, password reset). */
export const emailToken = z.string().min(10).max(200).meta({ description: 'The token from the emailed link' });

/** Asking for an emailed link (a password reset, a new confirmation link): the answer is the same for every address. */
export const emailLinkRequestBody = z.strictObject({ email });

export const passwordResetBody = z
  .strictObject({ token: emailToken, password: z.string().min(1).max(1024) })
  .meta({ id: 'PasswordReset' });

export const verifyEmailBody = z.strictObject({ token: emailToken }).meta({ id: 'VerifyEmail' });

export const loginBody = z.strictObject({ email, password: z.string().min(1).max(1024) }).meta({ id: 'Login' });

export const userSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    kind: z.enum(['brand', 'creator']),
    isOperator: z.boolean(),
    createdAt: timestamp,
    emailVerifiedAt: timestamp
      .nullable()
      .meta({ description: 'When the person followed the verification link sent at signup; null until then' }),
  })
  .meta({ id: 'User' });

export const workspaceSchema = z
  .object({ id: z.string(), name: z.string(), country: z.string().nullable(), createdAt: timestamp })
  .meta({ id: 'Workspace' });

export const creatorSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    country: z.string().nullable(),
    createdAt: timestamp,
  })
  .meta({ id: 'Creator' });

export const sessionResponse = z
  .object({
    token: z.string().meta({ description: 'A session token for Authorization: Bearer; valid for 30 days' }),
    user: userSchema,
    workspace: workspaceSchema.optional(),
    creator: creatorSchema.optional(),
  })
  .meta({ id: 'Session' });

export const meResponse = z
  .object({
    user: userSchema.nullable(),
    workspace: workspaceSchema.extend({ role: z.enum(['owner', 'manager', 'viewer']) }).nullable(),
    creator: creatorSchema.nullable(),
    via: z.enum(['session', 'apiKey']),
  })
  .meta({ id: 'Me' });

export const createApiKeyBody = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    role: z.enum(['owner', 'manager', 'viewer']).optional().meta({
      description:
        "The key's workspace role; at most the caller's own. Defaults to manager. Not used for creator keys.",
    }),
  })
  .meta({ id: 'CreateApiKey' });

export const apiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().meta({ description: 'The visible start of the key, to tell keys apart' }),
    role: z.enum(['owner', 'manager', 'viewer', 'creator']),
    createdAt: timestamp,
    lastUsedAt: timestamp.nullable(),
  })
  .meta({ id: 'ApiKey' });

export const createdApiKeySchema = apiKeySchema
  .extend({ key: z.string().meta({ description: 'The secret key. It is shown only this once.' }) })
  .meta({ id: 'CreatedApiKey' });
