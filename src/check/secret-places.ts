import { isAlias, isMap, isPair, isScalar, isSeq, visit as visitYaml, type Document, type Node } from 'yaml';
import type { PathSegment } from './locate.js';
import type { Replacement } from './substitute.js';
import type { SecretPlace } from './types.js';

/** Aliases followed inside one another at most this deep (a valid flow file has none, or a few). */
const MAX_ALIAS_DEPTH = 20;

/**
 * Where in the document the values of secret substitutions landed: the path of every scalar whose
 * text holds such a `{{key}}` (the whole value, when the placeholder is part of a longer string),
 * with the keys. A placeholder in a map key gives the map holding that key (the key itself is
 * data a path cannot mask); one in a comment gives nothing (comments are not data). A node reached
 * through an alias is found at the alias's path too. Positions are in the substituted text the
 * Document was parsed from. Pure.
 */
export function secretPlacesOf(
  doc: Document,
  replacements: readonly Replacement[],
  secretKeys: readonly string[],
): SecretPlace[] {
  const secret = new Set(secretKeys);
  const spots = replacements.filter((r) => !r.missing && secret.has(r.key));
  if (spots.length === 0) return [];
  const places = new Map<string, SecretPlace>();
  const keysWithin = (node: unknown): string[] => {
    const range = (node as Node | null | undefined)?.range;
    if (!range) return [];
    return spots
      .filter((r) => r.newStart >= range[0] && r.newStart < Math.max(range[2], range[0] + 1))
      .map((r) => r.key);
  };
  const found = (path: PathSegment[], keys: string[]): void => {
    const id = JSON.stringify(path);
    const place = places.get(id) ?? { path, keys: [] };
    for (const k of keys) if (!place.keys.includes(k)) place.keys.push(k);
    places.set(id, place);
  };
  // A subtree without a secret in its text is skipped, unless an alias elsewhere may bring one in.
  let aliasToSecret = false;
  visitYaml(doc, {
    Alias(_, alias) {
      if (keysWithin(alias.resolve(doc)).length) {
        aliasToSecret = true;
        return visitYaml.BREAK;
      }
      return undefined;
    },
  });
  const visit = (node: unknown, path: PathSegment[], aliases: number): void => {
    if (isAlias(node)) {
      if (aliases < MAX_ALIAS_DEPTH) visit(node.resolve(doc), path, aliases + 1);
      return;
    }
    const keys = keysWithin(node);
    if (keys.length === 0 && !aliasToSecret) return;
    if (isScalar(node)) {
      if (keys.length) found(path, keys);
    } else if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const inKey = keysWithin(pair.key);
        if (inKey.length) found(path, inKey);
        if (isScalar(pair.key)) visit(pair.value, [...path, String(pair.key.value)], aliases);
      }
    } else if (isSeq(node)) node.items.forEach((item, i) => visit(item, [...path, i], aliases));
  };
  visit(doc.contents, [], 0);
  return [...places.values()];
}
