import jsyaml from 'js-yaml';
import { parse } from 'yaml';

/** An anchor (`&a`) or alias (`*a`) outside quotes, roughly: such texts take the guarded parser. */
const ANCHOR_OR_ALIAS = /(?:^|[\s[{,:-])[&*][^\s,[\]{}]/m;
/**
 * Where a key may be a collection (`{{ placeholder }}` left in a flow mapping, `? key`, `[a]: b`):
 * js-yaml names such a key "[object Object]", `yaml` writes it out. Roughly, erring on the safe side.
 */
const COLLECTION_KEY = /[{,][ \t]*[{[]|^[ \t]*(?:-[ \t]+)*(?:\?(?:[ \t]|$)|[[{][^\n]*[\]}][ \t]*:(?:[ \t]|$))/m;

/**
 * Parses published (exported) flow YAML into plain data. Pure.
 *
 * Live content needs no source positions, so it is read with js-yaml's YAML 1.2 core schema, which
 * is about ten times faster than the `yaml` package on large flows (a cold plan of 1000 flows parses
 * 50 MB of it), and gives the same data for what flow files hold (a test compares both on every
 * fixture and on generated flows). Anything js-yaml refuses, any text with anchors or aliases
 * (js-yaml has no bound on alias expansion) and any with keys that may be collections go to `yaml` with an alias bound, whose errors are the
 * ones callers report.
 */
/** A plain scalar of YAML 1.2's core schema, exactly as the `yaml` package reads it (js-yaml's own core also takes `0b1`, `-0x1`, `+0o7` as numbers and `-.5e-3` as text). */
const coreInt = new jsyaml.Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (data: unknown) => typeof data === 'string' && /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/.test(data),
  construct: (data: string) => (data.startsWith('0o') ? Number.parseInt(data.slice(2), 8) : data.startsWith('0x') ? Number.parseInt(data.slice(2), 16) : Number(data)),
});
const coreFloat = new jsyaml.Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (data: unknown) => typeof data === 'string' && /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/.test(data),
  construct: (data: string) => {
    if (/\.(?:inf|Inf|INF)$/.test(data)) return data.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    if (/\.(?:nan|NaN|NAN)$/.test(data)) return Number.NaN;
    return Number.parseFloat(data);
  },
});
const coreNull = new jsyaml.Type('tag:yaml.org,2002:null', {
  kind: 'scalar',
  resolve: (data: unknown) => data === null || (typeof data === 'string' && /^(?:~|null|Null|NULL)?$/.test(data)),
  construct: () => null,
});
const coreBool = new jsyaml.Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (data: unknown) => typeof data === 'string' && /^(?:true|True|TRUE|false|False|FALSE)$/.test(data),
  construct: (data: string) => data.toLowerCase() === 'true',
});
const CORE = jsyaml.FAILSAFE_SCHEMA.extend({ implicit: [coreNull, coreBool, coreInt, coreFloat] });

export function parseLiveYaml(text: string): unknown {
  if (!ANCHOR_OR_ALIAS.test(text) && !COLLECTION_KEY.test(text)) {
    try {
      return jsyaml.load(text, { schema: CORE }) ?? null;
    } catch {
      // Fall through: `yaml` says what is wrong, with its own words.
    }
  }
  return parse(text, { maxAliasCount: 100 });
}
