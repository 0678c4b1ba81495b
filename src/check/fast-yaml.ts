import jsyaml from 'js-yaml';

/**
 * A fast reader for the common case of flow YAML. Pure.
 *
 * The `yaml` package gives every node its position, which flowops needs to say where a problem is;
 * it reads about 1.3 MB a second. js-yaml reads the same flows ten times faster but knows nothing of
 * positions and differs from `yaml` on a few constructs. So a text is read with js-yaml only when
 * none of those constructs can be in it (the checks below err on the safe side), and only what js-yaml
 * reads without complaint is taken: then `yaml` (strict, unique keys, YAML 1.2) would read the same
 * data and report nothing. Everything else, and anything needing a position, goes to `yaml`. A test
 * (test/check/fast-yaml.test.ts) holds both to that on real, generated and random texts.
 */

/** A plain scalar of YAML 1.2's core schema, exactly as the `yaml` package reads it (js-yaml's own core also takes `0b1`, `-0x1`, `+0o7` as numbers and `-.5e-3` as text). */
const coreInt = new jsyaml.Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (data: unknown) => typeof data === 'string' && /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/.test(data),
  construct: (data: string) =>
    data.startsWith('0o')
      ? Number.parseInt(data.slice(2), 8)
      : data.startsWith('0x')
        ? Number.parseInt(data.slice(2), 16)
        : Number(data),
});
const coreFloat = new jsyaml.Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (data: unknown) =>
    typeof data === 'string' &&
    /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/.test(
      data,
    ),
  construct: (data: string) => {
    if (/\.(?:inf|Inf|INF)$/.test(data))
      return data.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
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

/**
 * Constructs on which the two readers differ, roughly (a false alarm only costs speed):
 * anchors and aliases (js-yaml has no bound on their expansion), tags and directives, keys that may be
 * collections (`? k`, `[a]: b`, a `{{placeholder}}` left in a flow mapping: js-yaml names them
 * "[object Object]") or null or empty (`~: a`, `[: a]`, `{? }`: `yaml` makes them "", js-yaml "null"), a comment right after a closing quote or
 * bracket (`"a"#c`, an error for `yaml`), a lone carriage return, a tab in indentation, a byte order mark,
 * a block scalar (`|`, `>`) that starts with blank lines holding spaces, and `__proto__`.
 */
const NOT_PLAIN: ReadonlyArray<{ re: RegExp; needs?: readonly string[] }> = [
  // `needs`: a pattern cannot match a text without one of these (most texts have none: no search).
  { re: /(?:^|[\s[{,:-])[&*!][^\s,[\]{}]/m, needs: ['&', '*', '!'] },
  { re: /^%/m, needs: ['%'] },
  { re: /[{,][ \t]*[{[]/, needs: ['{', '['] },
  { re: /^[ \t]*(?:-[ \t]+)*(?:\?(?:[ \t]|$)|[[{][^\n]*[\]}][ \t]*:(?:[ \t]|$))/m, needs: ['?', '[', '{'] },
  { re: /(?:^|[\s{,])(?:~|null|Null|NULL)[ \t]*:(?:[ \t\r\n]|$)/m, needs: ['~', 'null', 'Null', 'NULL'] },
  { re: /[[{,][ \t]*[?:](?:[ \t\r\n\]},]|$)/m, needs: ['[', '{', ','] },
  { re: /["'\]}]#/, needs: ['#'] },
  { re: /\r(?!\n)/, needs: ['\r'] },
  { re: /__proto__/ },
  { re: /\uFEFF/ },
  { re: /^ *\t/m, needs: ['\t'] },
  { re: /[|>][-+0-9]*[ \t]*(?:#[^\n]*)?\r?\n(?:[ \t]*\r?\n)*[ \t]+(?:\r?\n|$)/, needs: ['|', '>'] },
];

function notPlain(text: string): boolean {
  return NOT_PLAIN.some(({ re, needs }) => (!needs || needs.some((n) => text.includes(n))) && re.test(text));
}

/** `yaml` refuses an implicit key longer than 1024 characters; a long line may hold one. */
const MAX_LINE = 1000;

/**
 * Whether every flow collection (`[...]`, `{...}`) closes on the line it opens on: one that spans
 * lines must be indented in ways js-yaml does not check. Quoted scalars are skipped; a quote left open
 * (a quoted scalar over several lines) counts as not plain too.
 */
function linesArePlain(text: string): boolean {
  let depth = 0;
  let lineStart = 0;
  let prev = 10; // the character before (a tab counts as a space); a newline at the start
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      if (depth !== 0 || i - lineStart > MAX_LINE) return false;
      lineStart = i + 1;
      prev = 10;
      continue;
    }
    if ((c === 34 || c === 39) && startsScalar(prev)) {
      const end = text.indexOf(c === 34 ? '"' : "'", i + 1);
      const newline = text.indexOf('\n', i + 1);
      if (end < 0 || (newline >= 0 && newline < end)) return false;
      i = end;
      prev = c;
      continue;
    }
    if (c === 91 || c === 123) depth++;
    else if (c === 93 || c === 125) depth--;
    prev = c === 9 ? 32 : c;
  }
  return depth === 0 && text.length - lineStart <= MAX_LINE;
}

/** A quote opens a quoted scalar after a line start, a space, or a flow indicator. */
function startsScalar(prev: number): boolean {
  return prev === 10 || prev === 32 || prev === 91 || prev === 123 || prev === 44;
}

/**
 * The data of `text` when js-yaml can be trusted with it and reads it without complaint (then `yaml`
 * would read the same and report nothing); undefined when it must go to `yaml`.
 */
export function loadPlainYaml(text: string): { data: unknown } | undefined {
  if (!linesArePlain(text) || notPlain(text)) return undefined;
  try {
    let warned = false;
    const data = jsyaml.load(text, {
      schema: CORE,
      onWarning: () => {
        warned = true;
      },
    });
    return warned ? undefined : { data: data ?? null };
  } catch {
    return undefined;
  }
}
