import type { PathSegment } from './locate.js';

const CONTAINER_ITEMS = new Set(['menu', 'task', 'state', 'bot']);
const ACTION_LISTS = new Set(['actions', 'startUpTaskActions']);

/**
 * Words for a place in a flow document, by names rather than indices:
 * `task "Startup Task" > action 2 "Play Audio" (playAudio) > audio.tts`.
 */
export function describePath(data: unknown, path: readonly PathSegment[]): string {
  const parts: string[] = [];
  let tail: string[] = [];
  let node: unknown = data;
  let i = 0;
  if (path.length > 0 && typeof path[0] === 'string') {
    node = get(node, path[0]);
    i = 1;
  }
  const flush = () => {
    if (tail.length) parts.push(tail.join('.'));
    tail = [];
  };
  for (; i < path.length; i++) {
    const seg = path[i]!;
    const listKey = path[i - 1];
    const item = get(node, seg);
    if (typeof seg === 'number' && isOneKeyObject(item)) {
      const [kind, body] = Object.entries(item)[0]!;
      const name = nameOf(body);
      flush();
      if (typeof listKey === 'string' && ACTION_LISTS.has(listKey))
        parts.push(`action ${seg + 1}${name ? ` "${name}"` : ''} (${kind})`);
      else if (CONTAINER_ITEMS.has(kind)) parts.push(`${kind}${name ? ` "${name}"` : ` ${seg + 1}`}`);
      else if (listKey === 'choices') parts.push(`choice${name ? ` "${name}"` : ` ${seg + 1}`} (${kind})`);
      else if (listKey === 'variables') parts.push(`variable${name ? ` "${name}"` : ` ${seg + 1}`}`);
      else tail.push(`${String(listKey ?? '')}[${seg + 1}]`.replace(/^\./, ''));
      // Skip the one key: the label above already names it.
      if (path[i + 1] === kind) {
        node = body;
        i++;
        continue;
      }
      node = item;
      continue;
    }
    if (typeof seg === 'number') {
      if (tail.length) tail[tail.length - 1] += `[${seg + 1}]`;
      else tail.push(`[${seg + 1}]`);
    } else if (
      !(
        ACTION_LISTS.has(seg) ||
        seg === 'choices' ||
        seg === 'menus' ||
        seg === 'tasks' ||
        seg === 'states' ||
        seg === 'bots' ||
        seg === 'variables'
      ) ||
      i === path.length - 1
    ) {
      tail.push(seg);
    }
    node = item;
  }
  flush();
  return parts.length ? parts.join(' > ') : 'flow';
}

function get(node: unknown, seg: PathSegment): unknown {
  if (node === null || typeof node !== 'object') return undefined;
  return (node as Record<string | number, unknown>)[seg];
}

function isOneKeyObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1;
}

function nameOf(body: unknown): string | undefined {
  const name = get(body, 'name');
  return typeof name === 'string' || typeof name === 'number' ? String(name) : undefined;
}
