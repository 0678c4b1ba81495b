/**
 * The check cache (`.flowops/cache/checks`): each file's own checks, by a hash of its text and the
 * options (spec/index.ts fileCheckKey). An entry is two lines: the record without the flow's data,
 * then the data. A run reads the first line of every entry and parses the second only for a flow
 * whose document it needs: a plan of a thousand unchanged flows compares their canonical hashes,
 * kept in the record, and never builds their documents (on large flows, building them cost more than
 * the rest of reading the cache, most of it in garbage collection).
 */
import type { FileCheckRecord } from '../spec/types.js';
import { JsonCache, type Codec } from './json-cache.js';

type FlowRecord = NonNullable<FileCheckRecord['flow']>;

const RECORD_CODEC: Codec<FileCheckRecord> = {
  extension: '.check',
  encode(record) {
    if (!record.flow) return JSON.stringify(record);
    const { data, ...flow } = record.flow;
    return `${JSON.stringify({ ...record, flow })}\n${JSON.stringify(data)}`;
  },
  decode(text) {
    const newline = text.indexOf('\n');
    const record = JSON.parse(newline < 0 ? text : text.slice(0, newline)) as FileCheckRecord;
    if (!record.flow) return record;
    const data = text.slice(newline + 1);
    // Written in one piece (temp file, rename): a second line that is not one JSON object is not ours.
    if (newline < 0 || !data.startsWith('{') || !data.endsWith('}')) throw new Error('not a check record');
    let parsed: FlowRecord['data'] | undefined;
    Object.defineProperty(record.flow, 'data', { enumerable: true, configurable: true, get: () => (parsed ??= JSON.parse(data) as FlowRecord['data']) });
    return record;
  },
};

/** The check cache in `dir`; `background`: writes go on while the caller works (call `flush`). */
export function checkCache(dir: string, secrets: readonly string[], options: { background?: boolean } = {}): JsonCache<FileCheckRecord> {
  return new JsonCache<FileCheckRecord>(dir, secrets, { ...options, codec: RECORD_CODEC });
}
