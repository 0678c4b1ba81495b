/**
 * What an export job's download holds, mapped back to the requested file names. Pure.
 *
 * The Java SDK documents `downloadUrl` as "a zipped folder containing all flows" when more than one
 * flow was exported (platform-client-sdk-java docs/ArchitectExportJobStateResponse.md); with one flow
 * it is the flow file itself. Each requested flow may carry a `fileName` ("the extension will be
 * automatically appended", platform-client-sdk-python docs/ExportDetails.md), so entries are matched
 * by their base name without extension or folder. Both packagings are accepted whatever the job size.
 */
import { unzipSync } from 'fflate';

export interface UnpackedExport {
  /** Requested file name -> YAML text. */
  files: Map<string, string>;
  /** Requested file names the download did not contain. */
  missing: string[];
  /** Set when the download as a whole is unusable (then `files` is empty). */
  problem?: string;
}

const decoder = new TextDecoder('utf-8', { fatal: false });

function text(bytes: Uint8Array): string {
  return decoder.decode(bytes).replace(/^\uFEFF/, '');
}

/** ZIP local file header `PK\x03\x04`, or the end record `PK\x05\x06` of an empty archive. */
export function isZip(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 &&
    bytes[0] === 0x50 &&
    bytes[1] === 0x4b &&
    (bytes[2] === 0x03 || bytes[2] === 0x05) &&
    bytes[3] === bytes[2] + 1
  );
}

function baseName(path: string): string {
  const file = path.split(/[/\\]/).pop() ?? path;
  return file.replace(/\.(ya?ml|json|i3\w*)$/i, '');
}

export function unpackExport(bytes: Uint8Array, fileNames: readonly string[]): UnpackedExport {
  const files = new Map<string, string>();
  if (!isZip(bytes)) {
    const [only] = fileNames;
    if (fileNames.length === 1 && only !== undefined) {
      files.set(only, text(bytes));
      return { files, missing: [] };
    }
    return {
      files,
      missing: [...fileNames],
      problem: `the download of ${fileNames.length} flows is a single document, not an archive`,
    };
  }
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, { filter: (entry) => !entry.name.endsWith('/') && !entry.name.startsWith('__MACOSX/') });
  } catch (error) {
    return {
      files,
      missing: [...fileNames],
      problem: `the download is not a readable ZIP archive (${(error as Error).message})`,
    };
  }
  const wanted = new Map(fileNames.map((name) => [name.toLowerCase(), name]));
  const unmatched: Uint8Array[] = [];
  for (const [path, data] of Object.entries(entries)) {
    const name = wanted.get(baseName(path).toLowerCase());
    if (name !== undefined && !files.has(name)) files.set(name, text(data));
    else unmatched.push(data);
  }
  const missing = fileNames.filter((name) => !files.has(name));
  // One file asked for and one left over: the pairing is unambiguous even if the server renamed it.
  const [lastName] = missing;
  const [lastData] = unmatched;
  if (missing.length === 1 && unmatched.length === 1 && lastName !== undefined && lastData !== undefined) {
    files.set(lastName, text(lastData));
    return { files, missing: [] };
  }
  return { files, missing };
}
