import { z } from 'zod';
import { timestamp } from '../http/schemas.js';

/** Lowercase letters, digits, `.` and `_`, 2 to 30 characters, as on TikTok and Instagram. */
export const HANDLE_PATTERN = /^[a-z0-9_](?:[a-z0-9._]{0,28}[a-z0-9_])$/;

export const handle = z
  .string()
  .regex(HANDLE_PATTERN, {
    message:
      'a handle has 2 to 30 lowercase letters, digits, dots and underscores, and does not start or end with a dot',
  })
  .meta({ description: 'The page lives at /@{handle}', example: 'krista.fit' });

/** A colour as #rrggbb: nothing else reaches the page's style sheet. */
const colour = z.string().regex(/^#[0-9a-fA-F]{6}$/, { message: 'a colour is written #rrggbb' });

export const bioTheme = z
  .strictObject({
    background: colour.meta({ description: 'The page background' }),
    text: colour.meta({ description: 'Text on the background' }),
    button: colour.meta({ description: 'The background of each link' }),
    buttonText: colour.meta({ description: 'Text on each link' }),
  })
  .meta({ id: 'BioTheme' });

export type BioTheme = z.infer<typeof bioTheme>;

export const bioLanguage = z
  .enum(['auto', 'en', 'fi'])
  .meta({ description: "The page's language: 'auto' follows the visitor's browser (Accept-Language)" });

export const putBioBody = z
  .strictObject({
    handle,
    title: z.string().trim().min(1).max(80),
    bio: z.string().trim().max(280).nullable().optional(),
    avatarUrl: z
      .string()
      .max(2048)
      .nullable()
      .optional()
      .meta({ description: 'An https address of the picture shown at the top of the page' }),
    theme: bioTheme.nullable().optional(),
    language: bioLanguage.optional(),
    links: z
      .array(
        z.strictObject({
          linkId: z.string().min(1).max(64),
          label: z.string().trim().min(1).max(80),
        }),
      )
      .max(50)
      .meta({ description: "The page's links in their order: any of the creator's links, in any program" }),
  })
  .meta({ id: 'PutBioPage' });

export type PutBioInput = z.infer<typeof putBioBody>;

export const destinationCheck = z
  .object({
    checkedAt: timestamp,
    httpStatus: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'The status the destination answered; null when it could not be reached' }),
    broken: z.boolean().meta({ description: 'The destination answered 404 or 410: the page it points at is gone' }),
  })
  .meta({ id: 'DestinationCheck' });

export const bioLinkSchema = z
  .object({
    linkId: z.string(),
    label: z.string(),
    slug: z.string(),
    shortUrl: z.string(),
    destinationUrl: z.string(),
    programId: z.string(),
    contentId: z.string().nullable(),
    live: z.boolean().meta({ description: 'Shown on the page: the link is enabled, unexpired and its program active' }),
    destinationCheck: destinationCheck
      .nullable()
      .meta({ description: "The destination watch's last look (daily at most)" }),
  })
  .meta({ id: 'BioLink' });

export const bioPageSchema = z
  .object({
    creatorId: z.string(),
    handle: z.string(),
    url: z.string().meta({ description: 'The public page' }),
    title: z.string(),
    bio: z.string().nullable(),
    avatarUrl: z.string().nullable(),
    theme: bioTheme.nullable(),
    language: bioLanguage,
    links: z.array(bioLinkSchema),
    codeCopies: z
      .array(z.object({ codeId: z.string(), code: z.string(), copies: z.number().int() }))
      .meta({ description: 'How often each coupon code was copied on the page, over all time' }),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'BioPage' });

export type BioPage = z.infer<typeof bioPageSchema>;

export const codeCopyBody = z.strictObject({ codeId: z.string().min(1).max(64) }).meta({ id: 'BioCodeCopy' });
