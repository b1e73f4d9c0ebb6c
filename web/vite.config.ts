import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// The web app is built into dist/web and served by the server itself at /app: no CDN, every
// asset local. The server's zod schemas are imported as they are; the two Node modules they
// reach (host names and IP checks) and the Public Suffix List get small browser equivalents.
export default defineConfig({
  root: here('.'),
  base: '/app/',
  plugins: [react()],
  resolve: {
    alias: {
      'node:url': here('./src/shims/node-url.ts'),
      'node:net': here('./src/shims/node-net.ts'),
      tldts: here('./src/shims/tldts.ts'),
    },
  },
  build: {
    outDir: here('../dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
    chunkSizeWarningLimit: 600,
  },
});
