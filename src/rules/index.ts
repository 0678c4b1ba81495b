/** The house rules' public entry points (rules/README.md): the registry, configuring, running. */
export type { DocumentPath, Rule, RuleContext, RuleFlow, RuleSeverity } from './types.js';
export type { ActiveRule, AvailableRule, RuleSet } from './rule-set.js';
export { BUILTIN_RULES } from './builtin/index.js';
export { configureRules, RULES_REVISION } from './configure-rules.js';
export { runRules } from './run-rules.js';
