// Which apigen-runtime this is, and the check every generated contract.ts runs
// when it is loaded: code generated for another runtime would fail later with a
// confusing error (a missing export, a descriptor field read as undefined).

/** This package's version; a test keeps it equal to package.json's. */
export const RUNTIME_VERSION = '0.2.0';

/**
 * Throws unless this runtime can run code generated for runtime `required`:
 * the same major version (for 0.x, the same minor too) and not older.
 */
export function checkRuntimeVersion(required: string, generatedFrom: string): void {
  if (!runtimeFits(required, RUNTIME_VERSION)) {
    throw new Error(
      `${generatedFrom} was generated for apigen-runtime ${required}, but apigen-runtime ${RUNTIME_VERSION} is installed; ` +
        `install apigen-runtime@^${required} or regenerate the code with the apigen that matches the installed runtime`,
    );
  }
}

/** Whether `installed` satisfies `^required` (semver caret, release versions). */
export function runtimeFits(required: string, installed: string): boolean {
  const want = parseVersion(required);
  const have = parseVersion(installed);
  if (want === undefined || have === undefined) return required === installed;
  const [wMajor, wMinor, wPatch] = want;
  const [hMajor, hMinor, hPatch] = have;
  if (hMajor !== wMajor) return false;
  if (wMajor === 0 && hMinor !== wMinor) return false;
  if (hMinor !== wMinor) return hMinor > wMinor;
  return hPatch >= wPatch;
}

function parseVersion(version: string): [number, number, number] | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}
