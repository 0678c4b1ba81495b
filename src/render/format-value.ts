/** Short, one-line words for a value in a plan: strings quoted, big structures summarised. */
export function formatValue(value: unknown, max = 80): string {
  if (value === undefined) return '(none)';
  if (typeof value === 'string') return truncate(JSON.stringify(value), max);
  if (value === null || typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? '[]' : `a list of ${value.length}`;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const [k] = keys as [string];
    const inner = (value as Record<string, unknown>)[k];
    // Archy's wrappers and one-key items read best inline: {lit: 5}, playAudio "Hello".
    if (inner === null || typeof inner !== 'object') return truncate(`{${k}: ${formatValue(inner, max)}}`, max);
    const name = (inner as Record<string, unknown>).name;
    if (typeof name === 'string')
      return truncate(`${k} ${JSON.stringify(name)}${itemDetail(k, inner as Record<string, unknown>)}`, max);
  }
  return truncate(JSON.stringify(value), max);
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** The one fact worth showing of an added item: the module a call names, the text it plays. */
function itemDetail(kind: string, body: Record<string, unknown>): string {
  const module = body.commonModule;
  if (kind === 'callCommonModule' && module && typeof module === 'object')
    return ` calling ${Object.keys(module)
      .map((m) => JSON.stringify(m))
      .join(', ')}`;
  const audio = body.audio as Record<string, unknown> | undefined;
  if (audio && typeof audio.tts === 'string') return ` saying ${JSON.stringify(audio.tts)}`;
  return '';
}
