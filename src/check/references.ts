import { locate } from './locate.js';
import { resolveReference as resolveTarget } from './resolve-reference.js';
import type { ParsedFile } from './parse.js';
import { collectFacts, type FlowFacts, type ReferenceUse } from './walk.js';

/** What kind of item each reference property must land on (any, when absent). */
const TARGET_KINDS: Record<string, string[]> = {
  targetMenuRef: ['menu'],
  targetTaskRef: ['task'],
  targetStateRef: ['state'],
  startUpRef: ['menu', 'task', 'state', 'bot'],
};

/**
 * Internal references (absolute `/inboundCall/menus/menu[Main Menu_10]`, relative `./choices/x[y]`,
 * `../`, or a bare refId) must land on an item that declares that refId. Archy itself only finds a
 * broken one at publish time. External references (`file.yaml#/path`) are reported, not followed.
 */
export function checkReferences(file: ParsedFile): FlowFacts {
  const facts = collectFacts(file.data, file.key);
  const declared = new Map<string, string>();
  for (const decl of facts.refIds) {
    if (declared.has(decl.refId)) {
      file.source.add(
        'error',
        'duplicate-refid',
        `refId "${decl.refId}" is declared twice in this flow (${declared.get(decl.refId)} and ${decl.kind})`,
        locate(file.doc, [...decl.path, 'refId']),
      );
    } else declared.set(decl.refId, decl.kind);
  }
  for (const use of facts.references) {
    // A commonModule has no start: the schema already reports a startUpRef there.
    if (file.key === 'commonModule' && use.prop === 'startUpRef' && use.path.length === 2) continue;
    const problem = resolveReference(file, use, facts);
    if (problem) file.source.add(problem.severity, problem.code, problem.message, locate(file.doc, use.path));
  }
  return facts;
}

interface Problem {
  severity: 'error' | 'warning';
  code: string;
  message: string;
}

function resolveReference(file: ParsedFile, use: ReferenceUse, facts: FlowFacts): Problem | undefined {
  const label = `${use.prop} "${use.value}"`;
  if (use.value.includes('#')) {
    return {
      severity: 'warning',
      code: 'external-reference',
      message: `${label} points into another file; flowops does not follow external references yet`,
    };
  }
  const target = resolveTarget(file.data, file.key, use, facts);
  if (!target.ok) return broken(label, target.why, facts, target.kind);
  return kindMismatch(label, target.kind, TARGET_KINDS[use.prop]);
}

function kindMismatch(label: string, kind: string, wanted: string[] | undefined): Problem | undefined {
  if (!wanted || wanted.includes(kind)) return undefined;
  return {
    severity: 'error',
    code: 'broken-reference',
    message: `${label} points at a ${kind}, expected a ${wanted.join(' or ')}`,
  };
}

function broken(label: string, why: string, facts: FlowFacts, kind?: string): Problem {
  const candidates = facts.refIds.filter((d) => !kind || d.kind === kind).map((d) => `"${d.refId}"`);
  const hint = candidates.length
    ? ` (known${kind ? ` ${kind}` : ''} refIds: ${candidates.slice(0, 5).join(', ')}${candidates.length > 5 ? ', ...' : ''})`
    : '';
  return { severity: 'error', code: 'broken-reference', message: `${label} does not resolve: ${why}${hint}` };
}
