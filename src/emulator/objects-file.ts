/**
 * The objects file (`flowops emulator --objects FILE`, `objects:` of an embedded environment): YAML
 * with one key per kind of org object, each a list of names or of objects where a kind needs more
 * (schemas/objects.schema.json, compiled at build time). Reading it gives `OrgObjectsSpec`; a file
 * that is not valid YAML or not of that shape is a ConfigError at its first problem's file:line:col.
 */
import { readFile } from 'node:fs/promises';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { LineCounter, parseDocument } from 'yaml';
import { locate, type PathSegment } from '../check/locate.js';
import { ConfigError } from '../errors.js';
import { validate as compiledObjectsValidator } from '../generated/objects-validator.js';

/** An object known by its name (optionally described, and in a division other than Home). */
export interface NamedSpec {
  name: string;
  description?: string;
  division?: string;
}

export interface DataActionSpec {
  /** The integration it belongs to: the action's `category` in the API, the map key in Archy YAML. */
  integration: string;
  name: string;
  description?: string;
}

/** An inbound flow an IVR routes to, by type (default `inboundcall`) and name. */
export interface FlowRefSpec {
  type?: string;
  name: string;
}

export interface IvrSpec {
  name: string;
  description?: string;
  dnis?: string | string[];
  openHoursFlow?: FlowRefSpec;
  closedHoursFlow?: FlowRefSpec;
  holidayHoursFlow?: FlowRefSpec;
}

/** The named kinds, each a list of names or `{name, description?, division?}`. */
export const NAMED_KINDS = [
  'queues',
  'prompts',
  'systemPrompts',
  'dataTables',
  'scheduleGroups',
  'schedules',
  'emergencyGroups',
  'languages',
  'skills',
  'wrapupCodes',
  'divisions',
] as const;
export type NamedKind = (typeof NAMED_KINDS)[number];

export type OrgObjectsSpec = { [K in NamedKind]?: Array<string | NamedSpec> } & {
  dataActions?: DataActionSpec[];
  ivrs?: IvrSpec[];
};

const validator = compiledObjectsValidator as ValidateFunction;

/** Reads and checks an objects file; `shownPath` is how messages name it. */
export async function readObjectsFile(path: string, shownPath = path): Promise<OrgObjectsSpec> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw ConfigError.at(shownPath, `cannot read the objects file: ${(error as Error).message}`, 1, 1, 'objects');
  }
  return parseObjectsFile(shownPath, text);
}

/** Parses and checks the text of an objects file. Pure. */
export function parseObjectsFile(file: string, text: string): OrgObjectsSpec {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number, message: string): ConfigError => {
    const { line, col } = lines.linePos(offset);
    return ConfigError.at(file, message, line, col, 'objects');
  };
  const syntax = doc.errors[0];
  if (syntax) throw at(syntax.pos[0], syntax.message.split('\n')[0] ?? syntax.message);
  // An empty file models an org with no objects (every list endpoint answers an empty list).
  const data: unknown = doc.toJS() ?? {};
  if (validator(data)) {
    const spec = data as OrgObjectsSpec;
    const twice = firstDuplicate(spec);
    if (twice) throw at(locate(doc, twice.path), `${twice.path.join('.')}: "${twice.name}" is listed twice`);
    return spec;
  }
  const first = decisiveError(validator.errors ?? []);
  const path: PathSegment[] = first?.instancePath
    ? first.instancePath
        .slice(1)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
        .map((s) => (/^\d+$/.test(s) ? Number(s) : s))
    : [];
  const where = path.length > 0 ? path.join('.') : 'the objects file';
  const params = (first?.params ?? {}) as Record<string, unknown>;
  switch (first?.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const known = path.length === 0 ? ` (kinds: ${[...NAMED_KINDS, 'dataActions', 'ivrs'].sort().join(', ')})` : '';
      throw at(locate(doc, [...path, key], true), `${where}: unknown key "${key}"${known}`);
    }
    case 'required':
      throw at(locate(doc, path), `${where}: missing required key "${String(params.missingProperty)}"`);
    case 'oneOf':
      throw at(
        locate(doc, path),
        path[0] === 'ivrs'
          ? `${where}: a phone number or a list of phone numbers`
          : `${where}: a name, or {name, description?, division?}`,
      );
    case 'pattern':
    case 'minLength':
      throw at(locate(doc, path), `${where}: a name cannot be empty or blank`);
    default:
      throw at(locate(doc, path), `${where}: ${first?.message ?? 'is invalid'}`);
  }
}

/**
 * The error to report: a `oneOf` (a name, or an object) is reported as such when the value is not an
 * object; when it is one, what is wrong inside it (an unknown or missing key) says more.
 */
function decisiveError(errors: ErrorObject[]): ErrorObject | undefined {
  const oneOf = errors.find((e) => e.keyword === 'oneOf');
  if (!oneOf) return errors[0];
  const inside = errors.find(
    (e) =>
      e.instancePath.startsWith(oneOf.instancePath) &&
      e.keyword !== 'type' &&
      e.keyword !== 'oneOf' &&
      e.keyword !== 'pattern' &&
      e.keyword !== 'minLength',
  );
  const blank = errors.find(
    (e) => e.instancePath === oneOf.instancePath && (e.keyword === 'pattern' || e.keyword === 'minLength'),
  );
  return inside ?? blank ?? oneOf;
}

/**
 * The first object listed twice in its kind: names are unique per kind regardless of case (data
 * actions within their integration), as the org's are.
 */
function firstDuplicate(spec: OrgObjectsSpec): { path: PathSegment[]; name: string } | undefined {
  const lists: Array<[string, Array<{ key: string; name: string }>]> = [
    ...NAMED_KINDS.map((kind): [string, Array<{ key: string; name: string }>] => [
      kind,
      (spec[kind] ?? []).map((item) => {
        const name = typeof item === 'string' ? item : item.name;
        return { key: name.toLowerCase(), name };
      }),
    ]),
    [
      'dataActions',
      (spec.dataActions ?? []).map((a) => ({ key: `${a.integration}\0${a.name}`.toLowerCase(), name: a.name })),
    ],
    ['ivrs', (spec.ivrs ?? []).map((i) => ({ key: i.name.toLowerCase(), name: i.name }))],
  ];
  for (const [kind, items] of lists) {
    const seen = new Set<string>();
    for (const [index, item] of items.entries()) {
      if (seen.has(item.key)) return { path: [kind, index], name: item.name };
      seen.add(item.key);
    }
  }
  return undefined;
}
