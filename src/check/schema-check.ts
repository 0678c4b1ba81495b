import type { ErrorObject, ValidateFunction } from 'ajv';
import { schemaHash, validate as compiledFlowValidator } from '../generated/flow-validator.js';
import { locate, type PathSegment } from './locate.js';
import type { ParsedFile } from './parse.js';
import { describePath } from './describe-path.js';

/** schemas/flow.schema.json compiled at build time (schemas/build-validators.mjs): every error, with its schema node. */
const flowValidator = compiledFlowValidator as ValidateFunction;

/** A hash of the flow schema: cached checks made with another schema are not reused. */
export function schemaFingerprint(): string {
  return schemaHash;
}

/** Checks a parsed flow against schemas/flow.schema.json and reports each problem at its node. */
export function checkSchema(file: ParsedFile): void {
  const validate = flowValidator;
  if (validate(file.data)) return;
  const seen = new Set<string>();
  for (const error of validate.errors ?? []) {
    const d = toDiagnostic(error, file);
    if (!d) continue;
    const key = `${d.offset}|${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    file.source.add(d.severity, d.code, d.message, d.offset);
  }
}

interface Mapped {
  severity: 'error' | 'warning';
  code: string;
  message: string;
  offset: number;
}

function toDiagnostic(error: ErrorObject, file: ParsedFile): Mapped | undefined {
  const path = pointerToPath(error.instancePath);
  const where = describePath(file.data, path);
  const parent = (error.parentSchema ?? {}) as Record<string, unknown>;
  const kind = parent['x-flowops-kind'];
  const at = (p: readonly PathSegment[], atKey = false) => locate(file.doc, p, atKey);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const extra = String(params.additionalProperty);
      const offset = at([...path, extra], true);
      if (kind === 'action')
        return {
          severity: 'warning',
          code: 'unknown-action',
          message: `${where}: action "${extra}" is not modelled by flowops; its content is not checked`,
          offset,
        };
      if (kind === 'choice')
        return {
          severity: 'warning',
          code: 'unknown-choice',
          message: `${where}: menu choice "${extra}" is not modelled by flowops; its content is not checked`,
          offset,
        };
      if (kind === 'root') return undefined; // reported by the parser
      if (kind === 'value')
        return {
          severity: 'error',
          code: 'schema',
          message: `${where}: "${extra}" is not a value wrapper (expected lit, exp or noValue)`,
          offset,
        };
      if (parent['x-flowops-unknown'] === 'warning')
        return {
          severity: 'warning',
          code: 'unknown-key',
          message: `${where}: key "${extra}" has not been seen in Archy files; passed through unchecked`,
          offset,
        };
      return { severity: 'error', code: 'schema', message: `${where}: unexpected key "${extra}"`, offset };
    }
    case 'required': {
      const missing = String(params.missingProperty);
      // Shown at the key that owns the incomplete mapping (`- playAudio:`), not at its first child.
      return {
        severity: 'error',
        code: 'schema',
        message: `${where}: missing required key "${missing}"`,
        offset: at(path, path.length > 0),
      };
    }
    case 'false schema': {
      const key = path[path.length - 1];
      return {
        severity: 'error',
        code: 'schema',
        message: `${describePath(file.data, path.slice(0, -1))}: "${String(key)}" is not allowed here`,
        offset: at(path, true),
      };
    }
    case 'type':
      return {
        severity: 'error',
        code: 'schema',
        message: `${where}: must be ${typeWords(params.type)}, got ${typeOfValue(error.data)}`,
        offset: at(path),
      };
    case 'const':
      return {
        severity: 'error',
        code: 'schema',
        message: `${where}: must be ${JSON.stringify(params.allowedValue)}`,
        offset: at(path),
      };
    case 'minProperties':
      if (kind === 'action' || kind === 'choice')
        return {
          severity: 'error',
          code: 'schema',
          message: `${where}: empty ${kind}: expected one key naming it, e.g. "- playAudio: {...}"`,
          offset: at(path),
        };
      return { severity: 'error', code: 'schema', message: `${where}: must not be empty`, offset: at(path) };
    case 'maxProperties':
      if (kind === 'action' || kind === 'choice')
        return {
          severity: 'error',
          code: 'schema',
          message: `${where}: one list item holds ${Object.keys(error.data as object).length} ${kind}s (${Object.keys(error.data as object).join(', ')}); each needs its own "- "`,
          offset: at(path),
        };
      if (kind === 'moduleCall')
        return {
          severity: 'error',
          code: 'schema',
          message: `${where}: commonModule names ${Object.keys(error.data as object).length} modules; call one module per action`,
          offset: at(path),
        };
      return { severity: 'error', code: 'schema', message: `${where}: must hold exactly one key`, offset: at(path) };
    case 'minLength':
      return { severity: 'error', code: 'schema', message: `${where}: must not be empty`, offset: at(path) };
    default:
      return {
        severity: 'error',
        code: 'schema',
        message: `${where}: ${error.message ?? 'is invalid'}`,
        offset: at(path),
      };
  }
}

function pointerToPath(pointer: string): PathSegment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function typeWords(type: unknown): string {
  const list = (Array.isArray(type) ? type : [type]).map(String).filter((t) => t !== 'null');
  const words = list.map((t) => (t === 'object' ? 'a mapping' : t === 'array' ? 'a list' : `a ${t}`));
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}` : (words[0] ?? 'valid');
}

function typeOfValue(value: unknown): string {
  if (value === null) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}
