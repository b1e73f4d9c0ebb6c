import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import dns2 from 'dns2';
import { Migrator } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/database.js';
import { migrations } from '../../src/db/migrations/index.js';
import {
  approvedCreator,
  call,
  createKey,
  createProgram,
  PASSWORD,
  signUp,
  signupBrand,
  startTestApp,
  type TestApp,
  uniqueEmail,
  validProgram,
} from '../helpers/app.js';

const PUBLIC = { publicUrl: 'https://kumppani.example.org' };

/** A local stand-in for shops' web servers: `/<domain>/.well-known/…` is that domain's proof file. */
class ProofServer {
  readonly files = new Map<string, string>();
  private server!: Server;
  origin = '';
  async start() {
    this.server = createServer((req, res) => {
      const [, domain = '', ...rest] = (req.url ?? '').split('/');
      const body = this.files.get(domain);
      if (`/${rest.join('/')}` === '/.well-known/kumppani-verification.txt' && body !== undefined) {
        res.writeHead(200, { 'content-type': 'text/plain' }).end(body);
      } else res.writeHead(404).end('not found');
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  stop() {
    return new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A local DNS server answering TXT questions from a table. */
class TxtServer {
  readonly records = new Map<string, string>();
  private server!: ReturnType<typeof dns2.createServer>;
  address = '';
  async start() {
    this.server = dns2.createServer({
      udp: true,
      handle: (request, send) => {
        const response = dns2.Packet.createResponseFromRequest(request);
        const q = request.questions[0];
        const value = q ? this.records.get(q.name.toLowerCase()) : undefined;
        if (q && value !== undefined) {
          // dns2's types want a Resource instance; the encoder reads these fields.
          response.answers.push(<never>{
            name: q.name,
            type: dns2.Packet.TYPE.TXT,
            class: dns2.Packet.CLASS.IN,
            ttl: 60,
            data: value,
          });
        }
        send(response);
      },
    });
    const listening = await this.server.listen({ udp: { port: 0, address: '127.0.0.1' } });
    void listening;
    const udp = this.server.addresses().udp as AddressInfo;
    this.address = `127.0.0.1:${udp.port}`;
  }
  stop() {
    return this.server.close();
  }
}

const proofs = new ProofServer();
const txt = new TxtServer();

beforeAll(async () => {
  await proofs.start();
  await txt.start();
});
afterAll(async () => {
  await proofs.stop();
  await txt.stop();
});

/** A public instance whose proofs are looked up on the local servers. */
async function publicApp(): Promise<TestApp> {
  return startTestApp({
    config: PUBLIC,
    domainProbe: {
      httpOrigins: (domain) => [`${proofs.origin}/${domain}`],
      dnsServers: [txt.address],
      timeoutMs: 2000,
    },
  });
}

async function brandWithProgram(t: TestApp, domains: string[]) {
  const brand = await signupBrand(t.app);
  const key = await createKey(t.app, brand.token, 'manager');
  const program = await createProgram(t.app, key, { ...validProgram, allowedDomains: domains });
  const creator = await approvedCreator(t.app, key, program.id);
  return { brand, key, program, creator };
}

const link = (t: TestApp, key: string, programId: string, creatorId: string, url: string) =>
  call(t.app, key, { method: 'POST', url: '/api/v1/links', payload: { programId, creatorId, destinationUrl: url } });

describe('public suffixes as allowed domains', () => {
  let t: TestApp;
  let key: string;
  beforeAll(async () => {
    t = await startTestApp();
    key = await createKey(t.app, (await signupBrand(t.app)).token, 'manager');
  });
  afterAll(() => t.close());

  it.each([['co.uk'], ['github.io'], ['blogspot.com']])(
    'refuses %s as an allowed domain of a new program',
    async (suffix) => {
      const res = await call(t.app, key, {
        method: 'POST',
        url: '/api/v1/programs',
        payload: { ...validProgram, allowedDomains: ['evil.example', suffix] },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
      expect(res.json().error.message).toContain('public suffix');
    },
  );

  it('refuses a public suffix added to an existing program', async () => {
    const program = await createProgram(t.app, key);
    const res = await call(t.app, key, {
      method: 'PATCH',
      url: `/api/v1/programs/${program.id}`,
      payload: { allowedDomains: ['shop.example.com', 'github.io'] },
    });
    expect(res.statusCode).toBe(400);
  });

  it('accepts a registrable domain under a public suffix', async () => {
    const res = await call(t.app, key, {
      method: 'POST',
      url: '/api/v1/programs',
      payload: { ...validProgram, allowedDomains: ['revontuli.co.uk', 'revontuli.github.io'] },
    });
    expect(res.statusCode).toBe(201);
  });
});

describe('domain proof on a public instance with open brand signup', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await publicApp();
  });
  afterAll(() => t.close());

  it('refuses a link to a domain the brand has not proved', async () => {
    const { key, program, creator } = await brandWithProgram(t, ['evil.example']);
    const res = await link(t, key, program.id, creator.creatorId, 'https://evil.example/login');
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('DOMAIN_NOT_VERIFIED');
  });

  it('says proofs are required in the domain list', async () => {
    const { key } = await brandWithProgram(t, ['list.example']);
    const res = await call(t.app, key, { method: 'GET', url: '/api/v1/domains' });
    expect(res.json().proofRequired).toBe(true);
  });

  it('does not verify a domain whose proof file lacks the token', async () => {
    const { key } = await brandWithProgram(t, ['wrong.example']);
    await call(t.app, key, { method: 'POST', url: '/api/v1/domains', payload: { domain: 'wrong.example' } });
    proofs.files.set('wrong.example', 'kv-someone-elses-token\n');
    const res = await call(t.app, key, {
      method: 'POST',
      url: '/api/v1/domains/verify',
      payload: { domain: 'wrong.example' },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('DOMAIN_NOT_VERIFIED');
  });

  it('verifies a domain by the token served at /.well-known/, after which its subdomains link and redirect', async () => {
    const { key, program, creator } = await brandWithProgram(t, ['shop.proved.example']);
    const added = await call(t.app, key, {
      method: 'POST',
      url: '/api/v1/domains',
      payload: { domain: 'proved.example' },
    });
    expect(added.statusCode).toBe(201);
    proofs.files.set('proved.example', `other-line\n${added.json().proof.token}\n`);
    const verified = await call(t.app, key, {
      method: 'POST',
      url: '/api/v1/domains/verify',
      payload: { domain: 'proved.example' },
    });
    expect(verified.json()).toMatchObject({ status: 'verified', method: 'http' });
    const made = await link(t, key, program.id, creator.creatorId, 'https://shop.proved.example/leggings');
    expect(made.statusCode).toBe(201);
    const visit = await t.app.inject({ method: 'GET', url: `/${made.json().slug}` });
    expect(visit.statusCode).toBe(302);
  });

  it('verifies a domain by a DNS TXT record', async () => {
    const { key, program, creator } = await brandWithProgram(t, ['txt.example']);
    const added = await call(t.app, key, {
      method: 'POST',
      url: '/api/v1/domains',
      payload: { domain: 'txt.example' },
    });
    const proof = added.json().proof;
    txt.records.set(proof.dnsName, proof.dnsValue);
    const verified = await call(t.app, key, {
      method: 'POST',
      url: '/api/v1/domains/verify',
      payload: { domain: 'txt.example' },
    });
    expect(verified.json()).toMatchObject({ status: 'verified', method: 'dns' });
    expect((await link(t, key, program.id, creator.creatorId, 'https://txt.example/')).statusCode).toBe(201);
  });

  it('lets the operator mark a domain verified', async () => {
    const { brand, key, program, creator } = await brandWithProgram(t, ['vouched.example']);
    const op = await signupBrand(t.app, 'Operator');
    await t.database.handle.db.updateTable('users').set({ is_operator: 1 }).where('id', '=', op.userId).execute();
    const res = await call(t.app, op.token, {
      method: 'POST',
      url: `/api/v1/admin/workspaces/${brand.workspaceId}/domains/vouched.example/verify`,
    });
    expect(res.json()).toMatchObject({ status: 'verified', method: 'operator' });
    expect((await link(t, key, program.id, creator.creatorId, 'https://vouched.example/')).statusCode).toBe(201);
  });

  it('refuses a brand marking its own domain verified through the operator route', async () => {
    const { brand, key } = await brandWithProgram(t, ['self.example']);
    const res = await call(t.app, key, {
      method: 'POST',
      url: `/api/v1/admin/workspaces/${brand.workspaceId}/domains/self.example/verify`,
    });
    expect(res.statusCode).toBe(403);
  });

  it('does not 302 a link made before proofs were required to a domain not proved', async () => {
    const loopback = await startTestApp({ shareDatabaseWith: t });
    try {
      const { key, program, creator } = await brandWithProgram(loopback, ['before.example']);
      const made = await link(loopback, key, program.id, creator.creatorId, 'https://before.example/x');
      expect(made.statusCode).toBe(201);
      const visit = await t.app.inject({ method: 'GET', url: `/${made.json().slug}` });
      expect(visit.statusCode).toBe(410);
    } finally {
      await loopback.close();
    }
  });
});

describe('a loopback instance (the demo, the two commands)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('links to an allowed domain without any proof', async () => {
    const { key, program, creator } = await brandWithProgram(t, ['unproved.example']);
    const made = await link(t, key, program.id, creator.creatorId, 'https://unproved.example/');
    expect(made.statusCode).toBe(201);
    expect((await t.app.inject({ method: 'GET', url: `/${made.json().slug}` })).statusCode).toBe(302);
  });
});

describe('brand signup by invitation', () => {
  let t: TestApp;
  let operator: string;
  beforeAll(async () => {
    t = await startTestApp({ config: { ...PUBLIC, brandSignup: 'invite' } });
    const op = await signUp(t.app, { email: uniqueEmail('op'), password: PASSWORD, name: 'Op', kind: 'creator' });
    await t.database.handle.db.updateTable('users').set({ is_operator: 1 }).where('id', '=', op.user.id).execute();
    operator = op.token;
  });
  afterAll(() => t.close());

  const brandSignup = (inviteCode?: string, email = uniqueEmail('brand')) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      payload: { email, password: PASSWORD, name: 'Aino', kind: 'brand', ...(inviteCode ? { inviteCode } : {}) },
    });

  it('refuses a brand signup without an invitation', async () => {
    const res = await brandSignup();
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('BRAND_SIGNUP_CLOSED');
  });

  it('lets a creator sign up without an invitation', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      payload: { email: uniqueEmail('cr'), password: PASSWORD, name: 'Krista', kind: 'creator' },
    });
    // A public instance's answer to any signup it takes: the address confirms it.
    expect(res.statusCode, res.body).toBe(202);
  });

  it("accepts an operator's invitation code once", async () => {
    const inv = await call(t.app, operator, { method: 'POST', url: '/api/v1/admin/brand-invitations', payload: {} });
    expect(inv.statusCode).toBe(201);
    expect((await brandSignup(inv.json().code)).statusCode).toBe(202);
    expect((await brandSignup(inv.json().code)).json().error.code).toBe('BRAND_SIGNUP_CLOSED');
  });

  it('refuses an invitation for one email to another', async () => {
    const inv = await call(t.app, operator, {
      method: 'POST',
      url: '/api/v1/admin/brand-invitations',
      payload: { email: 'invited@example.com' },
    });
    expect((await brandSignup(inv.json().code, 'someone-else@example.com')).statusCode).toBe(403);
  });

  it('links without domain proof where brands sign up by invitation', async () => {
    const inv = await call(t.app, operator, { method: 'POST', url: '/api/v1/admin/brand-invitations', payload: {} });
    const { token } = await signUp(t.app, {
      email: uniqueEmail('brand'),
      password: PASSWORD,
      name: 'Aino',
      kind: 'brand',
      inviteCode: inv.json().code,
    });
    const key = await createKey(t.app, token, 'manager');
    const program = await createProgram(t.app, key, { ...validProgram, allowedDomains: ['invited.example'] });
    const creator = await approvedCreator(t.app, key, program.id);
    expect((await link(t, key, program.id, creator.creatorId, 'https://invited.example/')).statusCode).toBe(201);
  });
});

describe('migration 0012 on an instance that already has brands', () => {
  it('counts the domains of existing programs as proved', async () => {
    const t = await startTestApp();
    try {
      const { brand } = await brandWithProgram(t, ['old-shop.example', 'www.old-shop.example']);
      const db = t.database.handle.db;
      const back = await new Migrator({
        db,
        provider: { getMigrations: async () => migrations },
        migrationTableName: 'kumppani_migrations',
        migrationLockTableName: 'kumppani_migrations_lock',
      }).migrateTo('0011-rowid-clicks');
      expect(back.error).toBeUndefined();
      await migrateToLatest(db);
      const rows = await db
        .selectFrom('workspace_domains')
        .select(['domain', 'status', 'method'])
        .where('workspace_id', '=', brand.workspaceId)
        .orderBy('domain')
        .execute();
      expect(rows).toEqual([
        { domain: 'old-shop.example', status: 'verified', method: 'existing' },
        { domain: 'www.old-shop.example', status: 'verified', method: 'existing' },
      ]);
    } finally {
      await t.close();
    }
  });
});
