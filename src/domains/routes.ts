import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../http/schemas.js';
import { workspaceScope } from '../shared/principal.js';
import { addDomainBody, domainBody, domainSchema, operatorDomainParams } from './schemas.js';
import type { DomainsService } from './service.js';

export const domainRoutes: FastifyPluginAsyncZod<{ domains: DomainsService }> = async (app, { domains }) => {
  app.get(
    '/api/v1/domains',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['domains'],
        summary: "The workspace's domains, proved or waiting for proof, with what to publish for each",
        response: {
          200: z.object({
            data: z.array(domainSchema),
            proofRequired: z.boolean().meta({
              description: 'Whether links on this instance need a proved domain (a public instance with open signup)',
            }),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => ({
      data: await domains.list(workspaceScope(request.principal)),
      proofRequired: domains.required,
    }),
  );

  app.post(
    '/api/v1/domains',
    {
      config: { access: 'manager' },
      schema: {
        tags: ['domains'],
        summary: 'Add a domain to prove: the answer gives its token (201, or 200 when it was added before)',
        body: addDomainBody,
        response: { 200: domainSchema, 201: domainSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { domain, created } = await domains.add(workspaceScope(request.principal), request.body.domain);
      return reply.status(created ? 201 : 200).send(domain);
    },
  );

  app.post(
    '/api/v1/domains/verify',
    {
      config: { access: 'manager' },
      schema: {
        tags: ['domains'],
        summary:
          'Check the proof of a domain now: its token at https://<domain>/.well-known/kumppani-verification.txt, else its TXT record',
        body: domainBody,
        response: { 200: domainSchema, ...errorResponses, 422: errorResponses[400] },
      },
    },
    async (request) =>
      domains.verify(
        workspaceScope(request.principal),
        request.body.domain,
        request.principal?.userId ?? request.principal?.credentialId ?? 'unknown',
      ),
  );

  app.post(
    '/api/v1/admin/workspaces/:workspaceId/domains/:domain/verify',
    {
      config: { access: 'operator', resource: 'workspace' },
      schema: {
        tags: ['operator'],
        summary: "Mark a workspace's domain verified without a proof (operator only)",
        params: operatorDomainParams,
        response: { 200: domainSchema, ...errorResponses },
      },
    },
    async (request) =>
      domains.operatorVerify(
        request.params.workspaceId,
        request.params.domain,
        request.principal?.userId ?? request.principal?.credentialId ?? 'operator',
      ),
  );
};
