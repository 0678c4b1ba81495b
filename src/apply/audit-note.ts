import { parseDocument } from 'yaml';

/**
 * Adds `[flowops <commit>]` (and ` PR #<n>` when known) to the flow's description in the YAML that is published, so every
 * version says which commit it came from (and drift can tell what was applied). Plans ignore the
 * note (plan/canonicalize.ts). Pure.
 */
export function withAuditNote(yaml: string, commit: string | undefined, pullRequest?: number): string {
  if (!commit) return yaml;
  const doc = parseDocument(yaml);
  const root = doc.contents as { items?: Array<{ key: { value?: unknown } }> } | null;
  const key = root?.items?.[0]?.key?.value;
  if (typeof key !== 'string') return yaml;
  const current = doc.getIn([key, 'description']);
  const base = typeof current === 'string' ? current.replace(/\s*\[flowops [^\]]*\]\s*$/, '') : '';
  doc.setIn([key, 'description'], `${base}${base ? ' ' : ''}[flowops ${commit}${pullRequest ? ` PR #${pullRequest}` : ''}]`);
  return doc.toString({ lineWidth: 0 });
}
