/**
 * A stored version's flow as data, and its export. Versions keep the document (and tracking numbers);
 * state files written before that keep the uploaded text in `content`, which is parsed when needed.
 */
import { parse as parseYaml } from 'yaml';
import { readFlowData } from '../check/parse.js';
import { writeArchitectExport } from './architect-export.js';
import type { ExportRevision } from './export-defaults.js';
import type { StoredFlow, StoredVersion } from './state-store.js';
import { assignTracking, type Tracking } from './tracking.js';

type Content = Pick<StoredVersion, 'document' | 'content' | 'contentType'>;

/** The version's document; for an older version, its text parsed (undefined if it does not parse). */
export function versionDocument(version: Content): Record<string, unknown> | undefined {
  if (version.document) return version.document;
  if (version.content === undefined) return undefined;
  try {
    const data: unknown = version.contentType === 'json' ? JSON.parse(version.content) : readFlowData(version.content);
    return data !== null && typeof data === 'object' && !Array.isArray(data)
      ? (data as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** What `.../configuration` answers: the document as JSON (Architect's own form is undocumented). */
export function versionConfiguration(version: Content): unknown {
  const document = versionDocument(version);
  if (document) return document;
  // An older version whose text does not parse as a mapping: answered as `yaml` reads it.
  return version.contentType === 'json' ? null : parseYaml(version.content ?? '');
}

/** The version's export as Architect revision `revision` writes it. */
export function exportVersion(version: StoredVersion, revision: ExportRevision): string {
  const document = versionDocument(version);
  // An older version whose text is not a flow document: its text as it was (nothing to regenerate).
  if (!document) return version.content ?? '';
  return writeArchitectExport(document, version.tracking, revision);
}

/**
 * The tracking numbers of a new version of `flow` holding `document`: containers it shares with the
 * flow's latest version keep their numbers; the flow's counter moves on (tracking.ts).
 */
export function trackNewVersion(flow: StoredFlow, document: Record<string, unknown>): Tracking {
  const latest = flow.versions.at(-1);
  let previous: Tracking | undefined = latest?.tracking;
  let next = flow.trackingNext;
  if (latest && !previous) {
    // An older version without numbers: numbered as its export numbers it.
    const latestDocument = versionDocument(latest);
    if (latestDocument) {
      const numbered = assignTracking(latestDocument);
      previous = numbered.numbers;
      next ??= numbered.next;
    }
  }
  const result = assignTracking(document, previous, next);
  flow.trackingNext = result.next;
  return result.numbers;
}
