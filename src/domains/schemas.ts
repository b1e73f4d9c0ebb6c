import { z } from 'zod';
import { timestamp } from '../http/schemas.js';
import { allowedDomain } from '../programs/schemas.js';

export const addDomainBody = z.strictObject({ domain: allowedDomain });

export const domainBody = z.strictObject({ domain: z.string().min(1).max(253) });

export const operatorDomainParams = z.strictObject({
  workspaceId: z.string().min(1).max(64),
  domain: z.string().min(1).max(253),
});

export const domainSchema = z
  .object({
    domain: z.string(),
    status: z.enum(['pending', 'verified']),
    method: z
      .enum(['http', 'dns', 'operator', 'existing'])
      .nullable()
      .meta({ description: 'How control was proved; `existing` for domains of brands that existed before proofs' }),
    verifiedAt: timestamp.nullable(),
    lastCheck: z.string().nullable().meta({ description: 'What the last attempt to verify found' }),
    proof: z
      .object({
        token: z.string(),
        httpUrl: z.string().meta({ description: 'Serve the token as a line of this file' }),
        dnsName: z.string().meta({ description: 'Or publish a TXT record at this name…' }),
        dnsValue: z.string().meta({ description: '…with this value' }),
      })
      .nullable(),
  })
  .meta({ id: 'WorkspaceDomain' });

export type WorkspaceDomain = z.infer<typeof domainSchema>;
