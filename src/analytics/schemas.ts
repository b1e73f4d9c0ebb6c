import { z } from 'zod';

export const timeGroups = ['hour', 'day', 'week', 'month'] as const;
export const entityGroups = ['creator', 'content', 'link', 'code', 'product'] as const;
export const valueGroups = ['country', 'device', 'browser', 'os', 'referrer', 'placement'] as const;
export const groupByValues = [...timeGroups, ...entityGroups, ...valueGroups] as const;
export type GroupBy = (typeof groupByValues)[number];

/** Each metric once, with its unit: the OpenAPI document's `AnalyticsMetrics`. */
const count = (description: string) => z.number().int().meta({ description });
const money = (description: string) =>
  z
    .number()
    .int()
    .meta({ description: `${description} In minor units of \`currency\`.` });
const ratio = (description: string) =>
  z
    .number()
    .nullable()
    .meta({ description: `${description} Null when the divisor is zero or unknown.` });

export const metricsSchema = z
  .object({
    clicks: count('Clicks on tracked links, bots left out. A count.').nullable(),
    uniqueClicks: count("Clicks that were a visitor's first on the link that UTC day. A count.").nullable(),
    leads: count('Attributed leads. A count.'),
    sales: count('Attributed sales (orders). A count.'),
    gmv: money('Net line amounts of attributed sales (after discounts, without tax and shipping), before refunds.'),
    refunds: money('Amounts refunded of those sales.'),
    netGmv: money('gmv minus refunds.'),
    commissions: money(
      'Commissions earned by those conversions minus what their refunds reversed; rejected commissions count nothing.',
    ),
    views: count(
      'Views gained by the videos and posts in the group over the period, from their recorded view counts. A count; null where the group has no videos.',
    ).nullable(),
    conversionRate: ratio('sales / clicks, a fraction (0.025 is 2.5 %).'),
    epc: ratio('Earnings per click: net commissions per 100 clicks, in minor units of `currency`.'),
    aov: ratio('Average order value: gmv / sales, in minor units of `currency`.'),
    refundRate: ratio('refunds / gmv, a fraction.'),
    ctr: ratio('clicks / views, a fraction.'),
    gpm: ratio('Net GMV per 1,000 views, in minor units of `currency`.'),
  })
  .partial()
  .meta({
    id: 'AnalyticsMetrics',
    description:
      "Numbers of a group or of the whole query (each present unless `metrics` leaves it out). A sale's refunds and reversed commissions count in the period of the sale; ratios are rounded to six decimal places.",
  });

export type Metrics = Required<z.infer<typeof metricsSchema>>;
export const metricNames = Object.keys(metricsSchema.shape) as (keyof Metrics)[];

export const analyticsRowSchema = z
  .intersection(
    z.object({
      key: z.string().meta({
        description:
          'The id of the creator, video, link, code or product; the date (`YYYY-MM-DD`, a week by its Monday, `YYYY-MM` for months, the instant for hours) of a time bucket; the value itself otherwise',
      }),
      label: z
        .string()
        .meta({ description: "A readable name: the creator's name, the link's slug, the video's title…" }),
    }),
    metricsSchema,
  )
  .meta({ id: 'AnalyticsRow' });

export const analyticsAnswerSchema = z
  .object({
    data: z.array(analyticsRowSchema),
    totals: metricsSchema,
    currency: z
      .string()
      .nullable()
      .meta({ description: 'ISO 4217 code of every amount; null when no program is in scope' }),
    timezone: z.string(),
    from: z.string().meta({ format: 'date-time' }),
    to: z.string().meta({ format: 'date-time', description: 'The end of the range, not included' }),
    groupBy: z.enum(groupByValues).nullable(),
  })
  .meta({ id: 'AnalyticsAnswer' });

export type AnalyticsAnswer = z.infer<typeof analyticsAnswerSchema>;

const id = z.string().min(1).max(64);

export const analyticsQuery = z.strictObject({
  programId: id.optional(),
  creatorId: id.optional(),
  linkId: id.optional(),
  contentId: id.optional(),
  codeId: id.optional(),
  productId: id.optional(),
  country: z
    .string()
    .regex(/^[A-Za-z]{2}$/, 'a two-letter country code')
    .transform((c) => c.toUpperCase())
    .optional(),
  device: z.string().min(1).max(40).optional(),
  placement: z.enum(['bio', 'caption', 'comment', 'story', 'qr', 'other']).optional(),
  from: z.string().max(40).optional().meta({
    description:
      'A day (`YYYY-MM-DD`, from its start in `timezone`) or an instant (ISO 8601). Default: 29 days before `to`.',
  }),
  to: z.string().max(40).optional().meta({
    description:
      'A day (`YYYY-MM-DD`, included to its end in `timezone`) or an instant (not included). Default: today.',
  }),
  timezone: z.string().max(64).optional().meta({
    description:
      "IANA time zone in which days, weeks and months are cut; default the program's (UTC without a program)",
  }),
  groupBy: z.enum(groupByValues).optional().meta({ description: 'Without it, only the totals' }),
  metrics: z
    .string()
    .max(400)
    .optional()
    .meta({ description: 'Comma-separated metric names to return (all by default)' }),
  orderBy: z.string().max(40).optional().meta({
    description:
      'A metric, or `key`; `-` before it sorts ascending. Default: time buckets in order, other groups by netGmv then clicks, largest first',
  }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(100)
    .meta({ description: 'Groups returned (not for time buckets)' }),
  format: z
    .enum(['json', 'csv'])
    .optional()
    .meta({ description: 'csv streams the rows as text/csv (as does Accept: text/csv)' }),
});

export type AnalyticsQuery = z.infer<typeof analyticsQuery>;

export const eventsQuery = z.strictObject({
  kind: z.enum(['clicks', 'conversions', 'commissions']).meta({ description: 'Which raw events' }),
  programId: id.optional(),
  creatorId: id.optional(),
  from: analyticsQuery.shape.from,
  to: analyticsQuery.shape.to,
  timezone: analyticsQuery.shape.timezone,
});

export type EventsQuery = z.infer<typeof eventsQuery>;
