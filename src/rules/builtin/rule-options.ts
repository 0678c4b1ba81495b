/**
 * Checking a built-in rule's options (Rule.validateOptions): each rule names its options and how each
 * is checked, and gets back the first problem as one sentence, or nothing. A misspelt option is a
 * problem too: a rule silently running with its defaults is worse than a refusal.
 */

/** Checks one option's value: a message (without the option's name) or nothing. */
export type OptionCheck = (value: unknown) => string | undefined;

export function checkOptions(options: Record<string, unknown>, spec: Record<string, OptionCheck>): string | undefined {
  for (const [key, value] of Object.entries(options)) {
    if (!Object.hasOwn(spec, key)) {
      const known = Object.keys(spec);
      return known.length
        ? `unknown option '${key}' (options: ${known.join(', ')})`
        : `unknown option '${key}' (this rule has no options)`;
    }
    const problem = spec[key]!(value);
    if (problem) return `option '${key}' ${problem}`;
  }
  return undefined;
}

export const isBoolean: OptionCheck = (value) => (typeof value === 'boolean' ? undefined : 'must be true or false');

export const isPositiveInteger: OptionCheck = (value) =>
  Number.isInteger(value) && (value as number) > 0 ? undefined : 'must be a whole number above 0';

export function oneOf(values: readonly string[]): OptionCheck {
  return (value) =>
    typeof value === 'string' && values.includes(value) ? undefined : `must be one of ${values.join(', ')}`;
}

/** A list of strings, each one of `values` when given. */
export function stringList(values?: readonly string[]): OptionCheck {
  return (value) => {
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) return 'must be a list of strings';
    const wrong = values ? value.find((v) => !values.includes(v as string)) : undefined;
    return wrong === undefined ? undefined : `has '${wrong}', which is not one of ${values!.join(', ')}`;
  };
}
