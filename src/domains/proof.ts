import { Resolver } from 'node:dns/promises';

/** Where a workspace serves its token: `https://<domain>/.well-known/kumppani-verification.txt`. */
export const PROOF_PATH = '/.well-known/kumppani-verification.txt';
/** The DNS name that holds the TXT record: `_kumppani-verification.<domain>`. */
export const DNS_LABEL = '_kumppani-verification';
export const TXT_PREFIX = 'kumppani-verification=';

const MAX_BODY = 4096;

export type ProofCheck = { ok: true; method: 'http' | 'dns' } | { ok: false; reasons: string[] };

/**
 * How the instance looks a domain up. The defaults ask the domain itself (https, then http) and
 * the system's DNS resolvers; tests point both at local servers.
 */
export interface DomainProbeOptions {
  /** The origin to ask for a domain's proof file; by default `https://<domain>` then `http://<domain>`. */
  httpOrigins?: (domain: string) => string[];
  /** DNS servers (`host:port`) to ask instead of the system's. */
  dnsServers?: string[];
  timeoutMs?: number;
}

async function readLimited(res: Response): Promise<string> {
  const reader = res.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
    if (size >= MAX_BODY) {
      await reader.cancel();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, MAX_BODY).toString('utf8');
}

/** Checks a domain for the token: the proof file first, then the TXT record. */
export function domainProbe(options: DomainProbeOptions = {}) {
  const timeoutMs = options.timeoutMs ?? 5000;
  const origins = options.httpOrigins ?? ((domain: string) => [`https://${domain}`, `http://${domain}`]);

  async function byHttp(domain: string, token: string): Promise<string | true> {
    const tried: string[] = [];
    for (const origin of origins(domain)) {
      const url = `${origin}${PROOF_PATH}`;
      try {
        // Redirects are not followed: the proof must be served by the domain itself.
        const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
        if (res.status !== 200) {
          await res.body?.cancel();
          tried.push(`${url} answered ${res.status}`);
          continue;
        }
        const body = await readLimited(res);
        if (body.split(/\r?\n/).some((line) => line.trim() === token)) return true;
        tried.push(`${url} does not hold the token`);
      } catch (err) {
        tried.push(`${url} could not be read (${(err as Error).name === 'TimeoutError' ? 'timed out' : 'no answer'})`);
      }
    }
    return tried.join('; ');
  }

  async function byDns(domain: string, token: string): Promise<string | true> {
    const name = `${DNS_LABEL}.${domain}`;
    const resolver = new Resolver({ timeout: timeoutMs, tries: 1 });
    if (options.dnsServers) resolver.setServers(options.dnsServers);
    try {
      const records = await resolver.resolveTxt(name);
      if (records.some((chunks) => chunks.join('').trim() === `${TXT_PREFIX}${token}`)) return true;
      return `the TXT records of ${name} do not hold ${TXT_PREFIX}<token>`;
    } catch (err) {
      return `${name} has no TXT record (${(err as NodeJS.ErrnoException).code ?? 'no answer'})`;
    } finally {
      resolver.cancel();
    }
  }

  return {
    async check(domain: string, token: string): Promise<ProofCheck> {
      const http = await byHttp(domain, token);
      if (http === true) return { ok: true, method: 'http' };
      const dns = await byDns(domain, token);
      if (dns === true) return { ok: true, method: 'dns' };
      return { ok: false, reasons: [http, dns] };
    },
  };
}

export type DomainProbe = ReturnType<typeof domainProbe>;
