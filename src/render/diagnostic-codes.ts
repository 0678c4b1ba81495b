/**
 * One sentence for each stable code of flowops' own diagnostics (the check's, flowops.yaml's, the
 * rules engine's), as SARIF's rule descriptions show them in code scanning. House rules describe
 * themselves (Rule.description); a code missing here gets a generic sentence, never an error
 * (test/render/sarif.test.ts keeps the table in step with the codes the sources use).
 */
export const DIAGNOSTIC_CODES: Readonly<Record<string, string>> = {
  'yaml-syntax': 'The file is not valid YAML (syntax, duplicate keys, tabs, unclosed quotes).',
  'yaml-warning': 'YAML the parser accepts but that is likely a mistake.',
  'too-deep': 'The YAML nests deeper than flowops reads (200 levels).',
  'alias-bomb': 'YAML aliases that would expand to an enormous document.',
  'file-too-large': 'The file is larger than flowops reads.',
  'empty-file': 'The file holds no flow.',
  encoding: 'The file is not valid UTF-8.',
  'not-a-flow': 'The file does not hold exactly one flow under a known flow type key.',
  'not-a-flow-file': 'A YAML file that reads like a flow but that no `flows` glob of flowops.yaml takes.',
  'bad-placeholder': 'A `{{placeholder}}` that is not well formed.',
  'missing-substitution': 'A `{{placeholder}}` the environment (or the file’s `files` entry) gives no value.',
  schema: 'A required key is missing, or a value has the wrong type, in the flow.',
  'unknown-key': 'A key flowops has not seen in Archy files (passed through unchecked).',
  'unknown-action': 'An action flowops does not model (passed through unchecked).',
  'unknown-choice': 'A menu choice flowops does not model (passed through unchecked).',
  'broken-reference':
    'A startUpRef, targetMenuRef, targetTaskRef, targetStateRef or defaultChildMenuRef that reaches no item.',
  'external-reference': 'A reference into another file, which flowops does not follow.',
  'duplicate-refid': 'Two items of one flow with the same refId.',
  'duplicate-flow': 'Two files define a flow of the same type and name.',
  'unknown-module': 'A callCommonModule names a common module neither the repository nor externalModules has.',
  'incompatible-module': 'A callCommonModule calls a module whose compatibleFlowTypes do not allow the caller.',
  'module-calls-module': 'A common module calls another common module, which Genesys does not allow.',
  'unknown-flow':
    'A bot call, a transfer to a flow or an in-queue flow names a flow the repository and externalFlows do not have.',
  'dependency-cycle': 'Module and bot calls that form a cycle.',
  'missing-reference':
    'An object the flow names (queue, prompt, data action...) that the environment’s org does not have.',
  config: 'A mistake in flowops.yaml.',
  'config-syntax': 'flowops.yaml is not valid YAML.',
  environment: 'The environment is unknown or incomplete in flowops.yaml.',
  'unused-files-entry': 'A `files` entry of flowops.yaml that matches no flow file.',
  plugin: 'A rules plugin that cannot be loaded, or that does not export `{rules: [...]}`.',
  plan: 'A plan the repository forbids.',
  suppression: 'A `# flowops-ignore` comment that names no known rule or gives no reason.',
  'unused-suppression': 'A `# flowops-ignore` comment that suppresses nothing.',
};

/** The sentence for a code: the table's, or a generic one for a code it does not have yet. */
export function describeCode(code: string): string {
  return Object.hasOwn(DIAGNOSTIC_CODES, code) ? DIAGNOSTIC_CODES[code]! : `A problem flowops reports as ${code}.`;
}
