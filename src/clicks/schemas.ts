import { z } from 'zod';

const bucket = z.object({ clicks: z.number().int(), uniqueClicks: z.number().int(), botClicks: z.number().int() });

/** A day of the calendar as YYYY-MM-DD: 2026-02-30 has the form but is no day. */
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD')
  .refine((d) => {
    const t = Date.parse(`${d}T00:00:00Z`);
    return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
  }, 'not a day of the calendar');

export const statsQuery = z
  .strictObject({ from: day.optional(), to: day.optional() })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, {
    message: 'from is after to',
    path: ['from'],
  });

export const linkStatsSchema = z
  .object({
    linkId: z.string(),
    from: z.string().nullable(),
    to: z.string().nullable(),
    clicks: z.number().int().meta({ description: 'Clicks by people; bots are never counted here' }),
    uniqueClicks: z.number().int(),
    botClicks: z.number().int(),
    byDay: z.array(bucket.extend({ day: z.string() })),
    byCountry: z.array(bucket.extend({ country: z.string() })),
    byDevice: z.array(bucket.extend({ device: z.string() })),
    byReferrer: z.array(bucket.extend({ referrer: z.string() })),
  })
  .meta({ id: 'LinkStats' });

export type LinkStats = z.infer<typeof linkStatsSchema>;
