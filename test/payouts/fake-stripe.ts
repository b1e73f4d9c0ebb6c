import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Stripe's POST /v1/transfers in its wire format, answering every transfer; what it was sent is kept. */
export async function fakeStripe(): Promise<{
  api: { host: string; port: number; protocol: 'http' };
  transfers: URLSearchParams[];
  close: () => Promise<void>;
}> {
  const transfers: URLSearchParams[] = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (c) => {
      text += c;
    });
    req.on('end', () => {
      const form = new URLSearchParams(text);
      transfers.push(form);
      res.setHeader('content-type', 'application/json');
      res.setHeader('request-id', `req_${transfers.length}`);
      res.end(
        JSON.stringify({
          id: `tr_${transfers.length}Fake`,
          object: 'transfer',
          amount: Number(form.get('amount')),
          amount_reversed: 0,
          created: Math.floor(Date.now() / 1000),
          currency: form.get('currency'),
          destination: form.get('destination'),
          livemode: false,
          metadata: {},
          reversed: false,
          transfer_group: form.get('transfer_group'),
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    api: { host: '127.0.0.1', port, protocol: 'http' },
    transfers,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
