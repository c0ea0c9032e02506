// The runtime states its own version (kept equal to package.json's here) and
// refuses, with both versions in the message, code generated for a runtime it
// cannot stand in for.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkRuntimeVersion, RUNTIME_VERSION, runtimeFits } from 'apigen-runtime';

describe('runtime version', () => {
  it('is the version in package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(RUNTIME_VERSION).toBe(pkg.version);
  });

  it('accepts code generated for this version or an older compatible one', () => {
    expect(() => checkRuntimeVersion(RUNTIME_VERSION, 'test code')).not.toThrow();
    expect(runtimeFits('1.2.3', '1.2.3')).toBe(true);
    expect(runtimeFits('1.2.3', '1.4.0')).toBe(true);
    expect(runtimeFits('0.2.0', '0.2.5')).toBe(true);
  });

  it('refuses another major (or 0.x minor) version, and a newer one than installed', () => {
    expect(runtimeFits('1.2.3', '2.0.0')).toBe(false);
    expect(runtimeFits('2.0.0', '1.9.9')).toBe(false);
    expect(runtimeFits('0.2.0', '0.3.0')).toBe(false);
    expect(runtimeFits('0.3.0', '0.2.0')).toBe(false);
    expect(runtimeFits('1.4.0', '1.2.3')).toBe(false);
    expect(runtimeFits('1.2.4', '1.2.3')).toBe(false);
  });

  it('names both versions when it refuses', () => {
    expect(() => checkRuntimeVersion('9.0.0', 'The code generated from Bookstore 2.1.0')).toThrow(
      `The code generated from Bookstore 2.1.0 was generated for apigen-runtime 9.0.0, but apigen-runtime ${RUNTIME_VERSION} is installed`,
    );
  });
});
