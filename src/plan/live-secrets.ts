/**
 * The secret values a live flow holds where its file has secret substitutions: after a rotation the
 * org still runs the old value, which no environment names any more. Found by comparing the live
 * content with the file's at the secret places (plan/secrets.ts), for `flowops export` to write them
 * back as placeholders. Pure.
 */
import { desiredDocument, type DesiredFlow } from '../check/index.js';
import { liveDocument, type LiveFlow } from './build-plan.js';
import { diffDocuments } from './diff.js';
import { idOf, normalForm } from '../identity/index.js';
import { documentPathsOf, pointer, previousSecretValues, secretMaskOf } from './secrets.js';

/** A scalar of the live document that holds secrets, and what the file says instead. */
export interface LiveSecretPlace {
  /** In the live document (as exported, not the normal form). */
  path: Array<string | number>;
  /** Texts in the value and the placeholder each is written as: the old values of rotated secrets. */
  pieces: Array<{ value: string; text: string }>;
  /**
   * When the old values cannot be cut out (the text around them was edited too): the whole value is
   * written as the file's, with its placeholders.
   */
  whole?: string;
}

/**
 * Each live scalar, at a place the comparison pairs with a secret place of the file, whose value
 * differs from the file's. `values`: the chosen environment's substitutions (the current secrets,
 * cut out of the file's value to find the old ones in the live value). Nothing when the live
 * content does not read as a flow.
 */
export function liveSecretPlaces(
  desired: DesiredFlow,
  live: LiveFlow,
  values: Readonly<Record<string, unknown>>,
): LiveSecretPlace[] {
  if (!desired.secretPlaces?.length || live.content === undefined) return [];
  let liveDoc: Record<string, unknown>;
  try {
    liveDoc = liveDocument(live, idOf(desired));
  } catch {
    return [];
  }
  const document = desiredDocument(desired);
  const secrets = secretMaskOf(document, desired.secretPlaces);
  const { masked } = diffDocuments(normalForm(liveDoc), normalForm(document), { secrets });
  if (masked.length === 0) return [];
  const documentPaths = documentPathsOf(liveDoc);
  const places: LiveSecretPlace[] = [];
  for (const pair of masked) {
    const path = documentPaths.get(pointer(pair.fromPath));
    if (!path || pair.from === null || pair.from === undefined) continue;
    const previous = previousSecretValues(pair, values);
    if (previous.length) places.push({ path, pieces: previous.map((p) => ({ value: p.value, text: `{{${p.key}}}` })) });
    else places.push({ path, pieces: [], whole: withPlaceholders(String(pair.to), pair.keys, values) });
  }
  return places;
}

function withPlaceholders(text: string, keys: readonly string[], values: Readonly<Record<string, unknown>>): string {
  const current = keys.map((key) => ({ key, value: String(values[key] ?? '') })).filter((s) => s.value !== '');
  let out = text;
  for (const { key, value } of current.sort((a, b) => b.value.length - a.value.length))
    out = out.split(value).join(`{{${key}}}`);
  return out;
}
