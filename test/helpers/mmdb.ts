/**
 * A small MaxMind DB writer for tests, following the MaxMind DB file format specification
 * (version 2.0): a binary search tree of 24-bit records, a 16-byte separator, a data section, and
 * the metadata after the `\xAB\xCD\xEFMaxMind.com` marker. Enough to build a country database of a
 * few networks that the `maxmind` reader opens like a GeoLite2-Country file.
 */
import net from 'node:net';

export type MmdbValue = string | number | bigint | boolean | MmdbValue[] | { [key: string]: MmdbValue };

export interface MmdbOptions {
  /** 6 (the default, like GeoLite2: IPv4 networks live at ::/96) or 4 (an IPv4-only tree). */
  ipVersion?: 4 | 6;
  databaseType?: string;
  languages?: string[];
  description?: Record<string, string>;
  /** Seconds since the epoch. */
  buildEpoch?: number;
}

// Data types of the format; 1 to 7 fit in the control byte, the others are "extended".
const STRING = 2;
const DOUBLE = 3;
const UINT16 = 5;
const UINT32 = 6;
const MAP = 7;
const INT32 = 8;
const UINT64 = 9;
const ARRAY = 11;
const BOOLEAN = 14;

/** The control byte(s) of a field: type, then size in the five low bits with 0 to 3 extra bytes. */
function header(type: number, size: number): Buffer {
  let sizeBits: number;
  let extra: Buffer;
  if (size < 29) {
    sizeBits = size;
    extra = Buffer.alloc(0);
  } else if (size < 29 + 256) {
    sizeBits = 29;
    extra = Buffer.from([size - 29]);
  } else if (size < 285 + 65_536) {
    sizeBits = 30;
    extra = Buffer.alloc(2);
    extra.writeUInt16BE(size - 285);
  } else {
    sizeBits = 31;
    extra = Buffer.alloc(3);
    extra.writeUIntBE(size - 65_821, 0, 3);
  }
  const control =
    type <= 7 ? Buffer.from([(type << 5) | sizeBits]) : Buffer.from([sizeBits, type - 7 /* extended type */]);
  return Buffer.concat([control, extra]);
}

/** An unsigned integer in as few big-endian bytes as it needs (zero takes none). */
function unsigned(type: number, value: bigint): Buffer {
  const bytes: number[] = [];
  for (let v = value; v > 0n; v >>= 8n) bytes.unshift(Number(v & 0xffn));
  return Buffer.concat([header(type, bytes.length), Buffer.from(bytes)]);
}

/** Encodes one value of the data section (or of the metadata). */
export function encodeValue(value: MmdbValue): Buffer {
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([header(STRING, bytes.length), bytes]);
  }
  if (typeof value === 'boolean') return header(BOOLEAN, value ? 1 : 0);
  if (typeof value === 'bigint') {
    if (value < 0n || value >= 2n ** 64n) throw new Error(`${value} does not fit a uint64`);
    return unsigned(UINT64, value);
  }
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 0 && value < 2 ** 16) return unsigned(UINT16, BigInt(value));
    if (Number.isInteger(value) && value >= 0 && value < 2 ** 32) return unsigned(UINT32, BigInt(value));
    if (Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31) {
      const bytes = Buffer.alloc(4);
      bytes.writeInt32BE(value);
      return Buffer.concat([header(INT32, 4), bytes]);
    }
    const bytes = Buffer.alloc(8);
    bytes.writeDoubleBE(value);
    return Buffer.concat([header(DOUBLE, 8), bytes]);
  }
  if (Array.isArray(value)) return Buffer.concat([header(ARRAY, value.length), ...value.map(encodeValue)]);
  const entries = Object.entries(value);
  return Buffer.concat([header(MAP, entries.length), ...entries.flatMap(([k, v]) => [encodeValue(k), encodeValue(v)])]);
}

/** The bits of a network's address as the tree reads them: 32 for IPv4, 128 for IPv6. */
function addressBits(address: string, ipVersion: 4 | 6): number[] {
  let bytes: number[];
  if (net.isIPv4(address)) {
    bytes = address.split('.').map(Number);
    // In an IPv6 tree, IPv4 addresses are the first 2^32 addresses: ::a.b.c.d.
    if (ipVersion === 6) bytes = [...new Array<number>(12).fill(0), ...bytes];
  } else if (net.isIPv6(address)) {
    if (ipVersion === 4) throw new Error(`${address}: an IPv4 tree holds no IPv6 network`);
    // An embedded IPv4 tail (::ffff:192.0.2.1) is two groups.
    const text = address.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_m, a, b, c, d) =>
      [(Number(a) << 8) | Number(b), (Number(c) << 8) | Number(d)].map((n) => n.toString(16)).join(':'),
    );
    const [head = '', tail] = text.split('::');
    const left = head ? head.split(':') : [];
    const right = tail ? tail.split(':') : [];
    const groups =
      tail === undefined ? left : [...left, ...new Array<string>(8 - left.length - right.length).fill('0'), ...right];
    bytes = groups.flatMap((g) => {
      const n = Number.parseInt(g, 16);
      return [n >> 8, n & 0xff];
    });
  } else {
    throw new Error(`${address} is not an IP address`);
  }
  return bytes.flatMap((byte) => [7, 6, 5, 4, 3, 2, 1, 0].map((i) => (byte >> i) & 1));
}

type Record_ = { node: Node } | { data: number } | undefined;
interface Node {
  id: number;
  records: [Record_, Record_];
}

/**
 * Builds a MaxMind DB file mapping each network (`192.0.2.0/24`, `2001:db8::/32`) to its value.
 * Networks must not overlap. Values that are equal are stored once.
 */
export function buildMmdb(networks: Record<string, MmdbValue>, options: MmdbOptions = {}): Buffer {
  const ipVersion = options.ipVersion ?? 6;
  const depth = ipVersion === 6 ? 128 : 32;

  // The data section: each distinct value once, in the order first met.
  const chunks: Buffer[] = [];
  const offsets = new Map<string, number>();
  let dataSize = 0;
  const dataOffset = (value: MmdbValue): number => {
    const key = JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
    let offset = offsets.get(key);
    if (offset === undefined) {
      offset = dataSize;
      const encoded = encodeValue(value);
      chunks.push(encoded);
      dataSize += encoded.length;
      offsets.set(key, offset);
    }
    return offset;
  };

  const nodes: Node[] = [];
  const newNode = (): Node => {
    const node: Node = { id: nodes.length, records: [undefined, undefined] };
    nodes.push(node);
    return node;
  };
  const root = newNode();
  for (const [network, value] of Object.entries(networks)) {
    const [address = '', lengthText] = network.split('/');
    let prefix = lengthText === undefined ? (net.isIPv4(address) ? 32 : 128) : Number(lengthText);
    if (net.isIPv4(address) && ipVersion === 6) prefix += 96;
    if (!Number.isInteger(prefix) || prefix < 1 || prefix > depth) throw new Error(`bad prefix length in ${network}`);
    const bits = addressBits(address, ipVersion);
    let node = root;
    for (let i = 0; i < prefix - 1; i++) {
      const bit = bits[i] as 0 | 1;
      const record = node.records[bit];
      if (record && 'data' in record) throw new Error(`${network} overlaps another network`);
      if (!record) {
        const child = newNode();
        node.records[bit] = { node: child };
        node = child;
      } else node = record.node;
    }
    const last = bits[prefix - 1] as 0 | 1;
    if (node.records[last]) throw new Error(`${network} overlaps another network`);
    node.records[last] = { data: dataOffset(value) };
  }

  // The search tree: node_count nodes of two 24-bit records. A record holds a node number, the
  // node count itself for "no data", or node_count + 16 + an offset in the data section.
  const nodeCount = nodes.length;
  const tree = Buffer.alloc(nodeCount * 6);
  const recordValue = (record: Record_): number => {
    if (!record) return nodeCount;
    if ('node' in record) return record.node.id;
    return nodeCount + 16 + record.data;
  };
  for (const node of nodes) {
    for (const side of [0, 1] as const) {
      const v = recordValue(node.records[side]);
      if (v >= 2 ** 24) throw new Error('the database is too large for 24-bit records');
      tree.writeUIntBE(v, node.id * 6 + side * 3, 3);
    }
  }

  const metadata = encodeValue({
    node_count: nodeCount,
    record_size: 24,
    ip_version: ipVersion,
    database_type: options.databaseType ?? 'GeoLite2-Country',
    languages: options.languages ?? ['en'],
    binary_format_major_version: 2,
    binary_format_minor_version: 0,
    build_epoch: BigInt(options.buildEpoch ?? Math.floor(Date.now() / 1000)),
    description: options.description ?? { en: 'Test country database' },
  });
  return Buffer.concat([
    tree,
    Buffer.alloc(16), // the data section separator
    ...chunks,
    Buffer.from('abcdef4d61784d696e642e636f6d', 'hex'), // \xAB\xCD\xEF MaxMind.com
    metadata,
  ]);
}
