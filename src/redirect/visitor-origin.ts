import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';
import { countryCode } from '../clicks/classify.js';
import type { Config } from '../config/config.js';
import { StartupError } from '../shared/errors.js';

/**
 * The visitor's address, read exactly as the API reads it: `X-Forwarded-For` is believed only
 * as far as the configured trusted proxies go, so a visitor cannot choose their own address.
 */
export function clientAddress(trustProxy: Config['trustProxy']): (req: IncomingMessage) => string {
  if (trustProxy === false) return (req) => req.socket.remoteAddress ?? '';
  const trust =
    trustProxy === true
      ? () => true
      : typeof trustProxy === 'number'
        ? (_address: string, hop: number) => hop < trustProxy
        : proxyAddr.compile(trustProxy);
  return (req) => proxyAddr(req, trust);
}

interface CountryReader {
  get(ip: string): { country?: { iso_code?: string }; registered_country?: { iso_code?: string } } | null;
}

/**
 * The visitor's country: the trusted proxy's header when the operator names one, otherwise the
 * operator's MaxMind database when one is given, otherwise `unknown`.
 */
export async function countryResolver(
  config: Pick<Config, 'countryHeader' | 'geoipDb'>,
): Promise<(req: IncomingMessage, ip: string) => string> {
  let reader: CountryReader | undefined;
  if (config.geoipDb) {
    const { Reader } = await import('maxmind');
    const { readFile } = await import('node:fs/promises');
    const file = config.geoipDb;
    let contents: Buffer;
    try {
      contents = await readFile(file);
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
      throw new StartupError(`cannot read the GeoIP database ${file} (KUMPPANI_GEOIP_DB): ${reason}`);
    }
    try {
      reader = new Reader(contents) as unknown as CountryReader;
    } catch (err) {
      throw new StartupError(`${file} is not a MaxMind database (KUMPPANI_GEOIP_DB): ${(err as Error).message}`);
    }
  }
  const header = config.countryHeader;
  const fromDatabase = (ip: string): string => {
    if (!reader || !ip) return 'unknown';
    try {
      const found = reader.get(ip.startsWith('::ffff:') ? ip.slice(7) : ip);
      return countryCode(found?.country?.iso_code ?? found?.registered_country?.iso_code);
    } catch {
      return 'unknown';
    }
  };
  if (!header) return (_req, ip) => fromDatabase(ip);
  return (req, ip) => {
    const value = req.headers[header];
    const fromHeader = countryCode(Array.isArray(value) ? value[0] : value);
    return fromHeader !== 'unknown' ? fromHeader : fromDatabase(ip);
  };
}
