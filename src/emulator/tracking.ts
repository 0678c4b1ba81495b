/**
 * Tracking numbers: the N of an exported refId `<container name>_<N>`. Architect gives containers
 * and actions numeric trackingIds from 10 upwards (shared/reference/architect-export.md section 1)
 * and an export's N is the container's trackingId, stable while the container exists (section 2,
 * INFERRED). The emulator's scheme (a choice, fitted to the blueprints: DR-Emergency-IVR.yaml's
 * `Main Menu_10` holds 31 choices, inline tasks and actions, and the next container is
 * `Startup Task_42`):
 * - a flow's first version numbers from 10, walking `startUpTaskActions`, then `menus`, `tasks`,
 *   `states`, `bots`: each container takes the next number, then every action, choice and inline
 *   choice task inside it takes one, in document order;
 * - a later version keeps the number of every container it shares with the version before
 *   (matched by kind and name, case-sensitive); a new container numbers itself and its contents from
 *   the flow's counter, which never goes back, so numbers have gaps;
 * - an item that a reference lands on but is not a container (a menu choice) is tracked too: it keeps
 *   its number the same way, keyed by its container's key and its own kind and name.
 * Pure: the caller keeps the numbers (per version) and the counter (per flow).
 */
import type { PathSegment } from '../check/locate.js';
import { isObject } from '../check/walk.js';
import {
  ACTION_LISTS,
  asItem,
  CONTAINER_LISTS,
  flowKeyOf,
  itemName,
  pathKey,
  referenceTargets,
  type ReferenceTargets,
} from './export-items.js';

/** Tracking key (`menu[Main Menu]`, `menu[Main Menu] > menuTask[Sales]`) -> tracking number. */
export type Tracking = Record<string, number>;

const FIRST_TRACKING_NUMBER = 10;

export interface TrackingResult {
  numbers: Tracking;
  /** The flow's counter after this version: the next number a new item takes. */
  next: number;
  /** Item path (pathKey) -> its tracking key, for every tracked item of this document. */
  keys: Map<string, string>;
}

interface Numbered {
  path: PathSegment[];
  kind: string;
  body: Record<string, unknown> | null;
}

/** A container (or the flow's startup actions, which have no number of their own) and what it holds. */
interface Segment {
  key: string;
  container?: Numbered;
  items: Numbered[];
}

const STARTUP = 'startUpTaskActions';

/** Numbers the containers and referenced items of `document`, keeping those `previous` already had. */
export function assignTracking(
  document: Record<string, unknown>,
  previous?: Tracking,
  next?: number,
  targets?: ReferenceTargets,
): TrackingResult {
  const flowKey = flowKeyOf(document);
  const keys = new Map<string, string>();
  if (!flowKey) return { numbers: {}, next: next ?? FIRST_TRACKING_NUMBER, keys };
  const { referenced } = targets ?? referenceTargets(document, flowKey);
  const highest = Math.max(FIRST_TRACKING_NUMBER - 1, ...Object.values(previous ?? {}));
  let counter = Math.max(next ?? FIRST_TRACKING_NUMBER, highest + 1);
  const numbers: Tracking = {};
  for (const segment of segmentsOf(document[flowKey] as Record<string, unknown>, flowKey)) {
    const kept = segment.container ? previous?.[segment.key] !== undefined : previous !== undefined;
    if (segment.container) {
      numbers[segment.key] = kept ? previous![segment.key]! : counter++;
      keys.set(pathKey(segment.container.path), segment.key);
    }
    const occurrences = new Map<string, number>();
    for (const item of segment.items) {
      const number = kept ? undefined : counter++;
      if (!referenced.has(pathKey(item.path))) continue;
      const key = occurrenceKey(`${segment.key} > ${item.kind}[${itemName(item.kind, item.body)}]`, occurrences);
      numbers[key] = number ?? previous?.[key] ?? counter++;
      keys.set(pathKey(item.path), key);
    }
  }
  return { numbers, next: counter, keys };
}

/** Two items of the same kind and name: the second is `...#2`, and so on. */
function occurrenceKey(base: string, seen: Map<string, number>): string {
  const n = (seen.get(base) ?? 0) + 1;
  seen.set(base, n);
  return n === 1 ? base : `${base}#${n}`;
}

function segmentsOf(body: Record<string, unknown>, flowKey: string): Segment[] {
  const segments: Segment[] = [];
  const startup = body[STARTUP];
  if (Array.isArray(startup)) {
    const items: Numbered[] = [];
    collectItems(startup, [flowKey, STARTUP], items);
    segments.push({ key: STARTUP, items });
  }
  const occurrences = new Map<string, number>();
  for (const [listKey, kind] of Object.entries(CONTAINER_LISTS)) {
    const list = body[listKey];
    if (!Array.isArray(list)) continue;
    list.forEach((entry, index) => {
      const item = asItem(entry, listKey);
      if (!item || item.kind !== kind) return;
      const path = [flowKey, listKey, index, kind];
      const items: Numbered[] = [];
      collectItems(item.body, path, items);
      segments.push({
        key: occurrenceKey(`${kind}[${itemName(kind, item.body)}]`, occurrences),
        container: { path, kind, body: item.body },
        items,
      });
    });
  }
  return segments;
}

/** Pre-order: every item of an action or choice list, and every choice's inline `task`. */
function collectItems(node: unknown, path: PathSegment[], out: Numbered[]): void {
  if (Array.isArray(node)) {
    const listKey = path[path.length - 1];
    node.forEach((entry, index) => {
      const item = typeof listKey === 'string' && ACTION_LISTS.has(listKey) ? asItem(entry, listKey) : undefined;
      if (item) {
        out.push({ path: [...path, index, item.kind], kind: item.kind, body: item.body });
        collectItems(item.body, [...path, index, item.kind], out);
      } else collectItems(entry, [...path, index], out);
    });
    return;
  }
  if (!isObject(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'task' && isObject(value) && path[path.length - 3] === 'choices') {
      out.push({ path: [...path, key], kind: key, body: value });
    }
    collectItems(value, [...path, key], out);
  }
}
