// The API's shapes, inferred from the server's own zod schemas: never declared twice.
import type { z } from 'zod';
import type { meResponse, sessionResponse } from '../../src/accounts/schemas.js';
import type { bioPageSchema } from '../../src/bio/schemas.js';
import type { codeSchema } from '../../src/codes/schemas.js';
import type { commissionSchema } from '../../src/commissions/schemas.js';
import type { conversionSchema } from '../../src/conversions/schemas.js';
import type { enrollmentSchema } from '../../src/enrollments/schemas.js';
import type { linkSchema } from '../../src/links/schemas.js';
import type { programSchema } from '../../src/programs/schemas.js';

export type Me = z.infer<typeof meResponse>;
export type SessionBody = z.infer<typeof sessionResponse>;
export type Program = z.infer<typeof programSchema>;
export type Enrollment = z.infer<typeof enrollmentSchema>;
export type Link = z.infer<typeof linkSchema>;
export type Code = z.infer<typeof codeSchema>;
export type Commission = z.infer<typeof commissionSchema>;
export type Conversion = z.infer<typeof conversionSchema>;
export type BioPage = z.infer<typeof bioPageSchema>;
export type ToDo = z.infer<typeof import('../../src/workspaces/to-do-schemas.js').toDoSchema>;

export type ApiKey = z.infer<typeof import('../../src/accounts/schemas.js').apiKeySchema>;
export type CreatedApiKey = z.infer<typeof import('../../src/accounts/schemas.js').createdApiKeySchema>;
export type Balance = z.infer<typeof import('../../src/commissions/schemas.js').balanceSchema>;
export interface Member {
  userId: string;
  email: string;
  name: string;
  role: 'owner' | 'manager' | 'viewer';
  since: string;
}
export type AnalyticsAnswer = z.infer<typeof import('../../src/analytics/schemas.js').analyticsAnswerSchema>;
export type Leaderboard = z.infer<typeof import('../../src/analytics/leaderboards.js').leaderboardSchema>;
type PayoutSchemas = typeof import('../../src/payouts/schemas.js');
export type Payout = z.infer<PayoutSchemas['payoutSchema']>;
export type RunResult = z.infer<PayoutSchemas['runResultSchema']>;
export type RunDetail = z.infer<PayoutSchemas['runDetailSchema']>;
export type PayoutSettings = z.infer<PayoutSchemas['payoutSettingsSchema']>;
export type PayoutProfile = z.infer<PayoutSchemas['payoutProfileSchema']>;
export type SendRunResult = z.infer<PayoutSchemas['sendRunResultSchema']>;
type StatementSchemas = typeof import('../../src/statements/schemas.js');
export type BrandStatement = z.infer<StatementSchemas['brandStatementSchema']>;
export type CreatorStatement = z.infer<StatementSchemas['creatorStatementSchema']>;
export type Integration = z.infer<typeof import('../../src/integrations/schemas.js').integrationSchema>;
export type FraudSettings = z.infer<typeof import('../../src/fraud/schemas.js').fraudSettingsSchema>;
export type Product = z.infer<typeof import('../../src/products/schemas.js').productSchema>;
export type CodeAlert = z.infer<typeof import('../../src/fraud/schemas.js').codeAlertSchema>;
export type CodeHealth = z.infer<typeof import('../../src/fraud/schemas.js').codeHealthSchema>;
