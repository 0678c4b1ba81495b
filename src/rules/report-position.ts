/**
 * Where a rule's report lands in the file as written: the path (keys and indices into the
 * substituted document) is found in the substituted text (from its lines, else its YAML Document),
 * and the offset is mapped back through the substitutions (check/source.ts), so a value that came
 * from `{{placeholder}}` is reported at the placeholder. A path the document does not have is reported at the flow's first
 * line (its top-level key) rather than failing. Pure.
 */
import { parseDocument, type Document } from 'yaml';
import { locate } from '../check/locate.js';
import { blockLocator, type BlockLocator } from '../check/locate-block.js';
import { YAML_OPTIONS } from '../check/parse.js';
import type { SourceFile } from '../check/source.js';
import { isObject } from '../check/walk.js';
import type { DocumentPath } from './types.js';

export interface ReportLocator {
  /** The offset in the substituted text to hand to SourceFile.add. */
  offsetOf(path: DocumentPath): number;
}

/**
 * Positions are looked for on the first report only (most flows satisfy every rule): in a plain
 * block text (`plain`, the check's fast reader took it) from its lines, as the check places the org
 * objects a flow names; otherwise, or where the lines are not conclusive, in the YAML Document,
 * parsed then (several times the cost of the check's fast read).
 */
export function reportLocator(
  source: SourceFile,
  document: Record<string, unknown>,
  flowKey: string,
  plain = false,
): ReportLocator {
  let doc: Document.Parsed | undefined;
  let block: BlockLocator | undefined;
  const find = (path: DocumentPath, atKey = false): number => {
    if (plain) {
      const found = (block ??= blockLocator(source.text)).find(path, atKey);
      if (found !== undefined) return found;
    }
    return locate((doc ??= parseDocument(source.text, YAML_OPTIONS)), path, atKey);
  };
  return {
    offsetOf(path) {
      return isPath(path) && hasPath(document, path) ? find(path) : find([flowKey], true);
    },
  };
}

function isPath(path: unknown): path is DocumentPath {
  return (
    Array.isArray(path) && path.every((s) => typeof s === 'string' || (typeof s === 'number' && Number.isInteger(s)))
  );
}

/** Whether the plain document has a node at `path` (keys in mappings, indices in lists). */
export function hasPath(document: unknown, path: DocumentPath): boolean {
  let node = document;
  for (const seg of path) {
    if (Array.isArray(node)) {
      if (typeof seg !== 'number' || seg < 0 || seg >= node.length) return false;
      node = node[seg];
    } else if (isObject(node)) {
      if (!Object.hasOwn(node, String(seg))) return false;
      node = node[String(seg)];
    } else return false;
  }
  return true;
}
