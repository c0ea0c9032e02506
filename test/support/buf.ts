// buf (lint, build, breaking) for the protobuf tests. The @bufbuild/buf package installs the binary
// of the machine's platform as an optional dependency and runs it through this launcher.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BUF = join(fileURLToPath(new URL('../..', import.meta.url)), 'node_modules/@bufbuild/buf/bin/buf');
