/**
 * A validate report as SARIF 2.1.0, the format GitHub code scanning reads: one run of the flowops
 * tool, a rule (reportingDescriptor) for every house rule that ran and for every code of flowops'
 * own diagnostics that appears, and one result per diagnostic at its file (relative to the
 * repository's top, under `%SRCROOT%`), line and column. Pure: the caller says where the repository
 * is (uriOf) and writes the file.
 */
import type { Log, ReportingDescriptor, Result } from 'sarif';
import type { Diagnostic } from '../check/types.js';
import { describeCode } from './diagnostic-codes.js';

/** The schema the log names: OASIS' SARIF 2.1.0 (errata 01), which test/cli/sarif.test.ts checks against. */
export const SARIF_SCHEMA =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/** A house rule as it ran (rules/rule-set.ts ActiveRule, flattened): its words and its configured severity. */
export interface SarifRule {
  id: string;
  description: string;
  help?: string;
  severity: 'error' | 'warn';
  /** The plugin file that defines it, as flowops.yaml names it; absent for a built-in. */
  plugin?: string;
}

export interface SarifInput {
  diagnostics: readonly Diagnostic[];
  rules: readonly SarifRule[];
  tool: { name: string; version: string; informationUri?: string };
  /** A diagnostic's file as a URI reference relative to the repository's top (forward slashes, percent-encoded). */
  uriOf(file: string): string;
}

export function sarifLog(input: SarifInput): Log {
  const rules: ReportingDescriptor[] = [];
  const indexOf = new Map<string, number>();
  const add = (descriptor: ReportingDescriptor) => {
    indexOf.set(descriptor.id, rules.length);
    rules.push(descriptor);
  };
  for (const rule of input.rules) add(houseRule(rule));
  for (const d of input.diagnostics) if (!indexOf.has(ruleIdOf(d))) add(codeRule(ruleIdOf(d), d.severity));
  const results = input.diagnostics.map(
    (d): Result => ({
      ruleId: ruleIdOf(d),
      ruleIndex: indexOf.get(ruleIdOf(d))!,
      level: d.severity,
      message: { text: d.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: input.uriOf(d.file), uriBaseId: '%SRCROOT%' },
            region: { startLine: d.line, startColumn: d.col },
          },
        },
      ],
    }),
  );
  const { name, version, informationUri } = input.tool;
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: { name, version, semanticVersion: version, ...(informationUri ? { informationUri } : {}), rules },
        },
        // Columns are counted in JavaScript string positions: UTF-16 code units.
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

/** A house rule's diagnostics carry its id (`rule`); flowops' own carry their code. */
function ruleIdOf(d: Diagnostic): string {
  return d.rule ?? d.code;
}

function houseRule(rule: SarifRule): ReportingDescriptor {
  const help = rule.help ?? rule.description;
  return {
    id: rule.id,
    shortDescription: { text: rule.description },
    help: { text: help, markdown: help },
    defaultConfiguration: { level: rule.severity === 'error' ? 'error' : 'warning' },
    // Where the rule comes from: flowops itself, or the plugin file flowops.yaml names.
    properties: { tags: ['flowops', 'house-rule', rule.plugin === undefined ? 'built-in' : `plugin:${rule.plugin}`] },
  };
}

/** One of flowops' own codes: the sentence for it, at the level of its first diagnostic. */
function codeRule(code: string, level: Diagnostic['severity']): ReportingDescriptor {
  const text = describeCode(code);
  return {
    id: code,
    shortDescription: { text },
    help: { text },
    defaultConfiguration: { level },
    properties: { tags: ['flowops', 'check'] },
  };
}
