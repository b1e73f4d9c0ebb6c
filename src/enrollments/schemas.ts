import { z } from 'zod';
import { email } from '../accounts/schemas.js';
import { timestamp } from '../http/schemas.js';
import { rate } from '../programs/schemas.js';

export const enrollmentStatus = z.enum(['applied', 'invited', 'approved', 'rejected', 'suspended']);

export type EnrollmentStatus = z.infer<typeof enrollmentStatus>;

const reason = z.string().trim().min(1).max(2000);

const ownRate = rate
  .nullable()
  .meta({ description: "The creator's own rate in this program, overriding the program default; null clears it" });

/**
 * One body for both callers of `POST /programs/{id}/enrollments`: a creator applies with an
 * optional message; a brand invites with `creatorEmail` (and optionally a name, a rate and a note).
 */
export const createEnrollmentBody = z
  .strictObject({
    creatorEmail: email.optional().meta({ description: 'Brand only: the creator to invite' }),
    creatorName: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .meta({ description: 'Brand only: the name to show for an invited email that has no creator account yet' }),
    rate: ownRate.optional().meta({ description: "Brand only: the creator's own rate in this program" }),
    message: reason.optional().meta({
      description: "A note kept as the enrollment's reason: the creator's application or the brand's invitation",
    }),
  })
  .meta({
    id: 'CreateEnrollment',
    description:
      'A creator token applies to an open program ({message?}); a brand token (manager or owner) invites a creator ({creatorEmail, creatorName?, rate?, message?})',
  });

export type CreateEnrollmentInput = z.infer<typeof createEnrollmentBody>;

export const updateEnrollmentBody = z
  .strictObject({
    status: enrollmentStatus.optional(),
    reason: reason.optional().meta({ description: 'Why; required when a brand rejects or suspends' }),
    rate: ownRate.optional().meta({ description: "Brand only: set or clear (null) the creator's own rate" }),
  })
  .refine((b) => b.status !== undefined || b.rate !== undefined, {
    message: 'give a status, a rate, or both',
    path: ['status'],
  })
  .meta({
    id: 'UpdateEnrollment',
    description:
      'A brand (manager or owner) approves, rejects or suspends (reject and suspend need a reason) and sets the rate; ' +
      'the invited creator accepts with "approved" or declines with "rejected"',
  });

export type UpdateEnrollmentInput = z.infer<typeof updateEnrollmentBody>;

export const enrollmentSchema = z
  .object({
    id: z.string().meta({ example: 'enr_01jd8x3q6v0000000000000000' }),
    programId: z.string(),
    programName: z.string(),
    creatorId: z.string(),
    creatorName: z.string(),
    status: enrollmentStatus,
    rate: rate.nullable().meta({ description: "The creator's own rate; null means the program's rules apply" }),
    reason: z.string().nullable().meta({ description: 'The reason given with the latest status change' }),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Enrollment' });

export type Enrollment = z.infer<typeof enrollmentSchema>;

export const enrollmentEventSchema = z
  .object({
    id: z.string(),
    fromStatus: enrollmentStatus.nullable().meta({ description: 'null for the first event' }),
    toStatus: enrollmentStatus,
    reason: z.string().nullable(),
    actor: z.string().meta({ description: 'The user or API key that made the change' }),
    at: timestamp,
  })
  .meta({ id: 'EnrollmentEvent' });

export type EnrollmentEvent = z.infer<typeof enrollmentEventSchema>;

export const enrollmentDetailSchema = enrollmentSchema
  .extend({ history: z.array(enrollmentEventSchema).meta({ description: 'Every status change, oldest first' }) })
  .meta({ id: 'EnrollmentWithHistory' });

export type EnrollmentDetail = z.infer<typeof enrollmentDetailSchema>;

export const listEnrollmentsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
  programId: z.string().min(1).max(64).optional(),
  status: enrollmentStatus.optional(),
});

export type ListEnrollmentsQuery = z.infer<typeof listEnrollmentsQuery>;
