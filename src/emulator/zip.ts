/**
 * Export downloads of several flows are "a zipped folder containing all flows"
 * (ArchitectExportJobStateResponse.downloadUrl in the SDK docs). fflate writes the archive.
 */
import { zipSync } from 'fflate';

export interface ZipEntry {
  name: string;
  data: Buffer;
}

export function createZip(entries: ZipEntry[], now = new Date()): Buffer {
  const files: Record<string, Uint8Array> = {};
  for (const entry of entries) files[entry.name] = new Uint8Array(entry.data);
  return Buffer.from(zipSync(files, { level: 6, mtime: now }));
}
