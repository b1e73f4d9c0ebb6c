// The command line entry point must be executable for `npx kumppani` and the installed bin.
import { chmodSync } from 'node:fs';

chmodSync(new URL('../dist/cli/main.js', import.meta.url), 0o755);
