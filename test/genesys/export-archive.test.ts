import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { isZip, unpackExport } from '../../src/genesys/export-archive.js';
import { fileNamesFor } from '../../src/genesys/export-flows.js';

const a = 'inboundCall:\n  name: A\n';
const b = 'commonModule:\n  name: B\n';

describe('unpackExport', () => {
  it('maps a ZIP of <fileName>.yaml entries back to the file names (any case, any folder)', () => {
    const zip = zipSync({ 'flow-a.yaml': strToU8(a), 'export/FLOW-B.YAML': strToU8(b), 'export/': new Uint8Array() });
    expect(isZip(zip)).toBe(true);
    const result = unpackExport(zip, ['flow-a', 'flow-b']);
    expect(result.files).toEqual(
      new Map([
        ['flow-a', a],
        ['flow-b', b],
      ]),
    );
    expect(result.missing).toEqual([]);
  });

  it('takes a single YAML document for a single flow (a BOM dropped)', () => {
    const bytes = strToU8(`\uFEFF${a}`);
    expect(isZip(bytes)).toBe(false);
    expect(unpackExport(bytes, ['flow-a']).files).toEqual(new Map([['flow-a', a]]));
  });

  it('reports a single document for several flows as a problem', () => {
    const result = unpackExport(strToU8(a), ['flow-a', 'flow-b']);
    expect(result.files.size).toBe(0);
    expect(result.missing).toEqual(['flow-a', 'flow-b']);
    expect(result.problem).toMatch(/single document, not an archive/);
  });

  it('reports the files an archive lacks', () => {
    const result = unpackExport(
      zipSync({ 'flow-a.yaml': strToU8(a), 'stranger.yaml': strToU8(b), 'other.yaml': strToU8(b) }),
      ['flow-a', 'flow-b'],
    );
    expect([...result.files.keys()]).toEqual(['flow-a']);
    expect(result.missing).toEqual(['flow-b']);
  });

  it('pairs the one leftover entry with the one missing name', () => {
    const result = unpackExport(zipSync({ 'Renamed by the server.yaml': strToU8(b) }), ['flow-b']);
    expect(result.files).toEqual(new Map([['flow-b', b]]));
  });

  it('reports a broken archive', () => {
    const zip = zipSync({ 'flow-a.yaml': strToU8(a.repeat(50)) });
    const result = unpackExport(zip.subarray(0, 40), ['flow-a', 'flow-b']);
    expect(result.problem).toMatch(/not a readable ZIP/);
    expect(result.missing).toEqual(['flow-a', 'flow-b']);
  });
});

describe('fileNamesFor', () => {
  it('gives each flow a distinct name Genesys accepts', () => {
    const names = fileNamesFor([
      { id: '2f0e3c1a-7d7e-4c43-9f43-0b6f3e7a9c11', version: '1.0' },
      { id: 'odd id/1', version: '1.0' },
      { id: 'ODD_ID_1', version: '1.0' },
    ]);
    expect([...names.keys()]).toEqual(['2f0e3c1a-7d7e-4c43-9f43-0b6f3e7a9c11', 'odd_id_1', 'ODD_ID_1_2']);
    for (const name of names.keys()) expect(name).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});
