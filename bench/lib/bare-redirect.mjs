// The reference of the redirect benchmark: a bare node:http server answering the same 302 from a
// Map, with a click id on the destination, and nothing else (no lookup miss handling beyond 404,
// no click capture). Usage: node bare-redirect.mjs PORT SLUG DESTINATION
import http from 'node:http';

const [port, slug, destination] = process.argv.slice(2);
const links = new Map([[slug, destination]]);
let clicks = 0;

http
  .createServer((req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = (q === -1 ? url : url.slice(0, q)).slice(1);
    if (path === 'healthz') {
      res.end('{"status":"ok"}');
      return;
    }
    const target = links.get(path);
    if (!target) {
      res.writeHead(404);
      res.end();
      return;
    }
    clicks += 1;
    res.writeHead(302, {
      location: `${target}${target.includes('?') ? '&' : '?'}kclid=clk_${clicks.toString(36)}`,
      'cache-control': 'no-store',
      'content-length': 0,
    });
    res.end();
  })
  .listen(Number(port), '127.0.0.1');
