import type { ErrorObject } from 'ajv';
import type { Document } from 'yaml';
import { locate, type PathSegment } from '../check/locate.js';

/** Words and a position for one ajv error in flowops.yaml. */
export function describeConfigError(
  error: ErrorObject,
  doc: Document,
): { message: string; offset: number } | undefined {
  const path: PathSegment[] =
    error.instancePath === ''
      ? []
      : error.instancePath
          .slice(1)
          .split('/')
          .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
          // Indices of lists are numbers: locate() walks a YAML sequence only by number.
          .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
  const where = path.length
    ? path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i ? `.${s}` : s)).join('')
    : 'flowops.yaml';
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return {
        message: `${where}: unknown key "${String(params.additionalProperty)}"`,
        offset: locate(doc, [...path, String(params.additionalProperty)], true),
      };
    case 'required':
      return {
        message: `${where}: missing required key "${String(params.missingProperty)}"`,
        offset: locate(doc, path),
      };
    case 'oneOf':
      // A value under any `substitutions` (an environment's, or a `files` entry's).
      if (path.length === 2 && path[0] === 'rules') {
        return {
          message: `${where}: a rule takes a severity (error, warn or off) or {severity: error|warn|off, ...its options}`,
          offset: locate(doc, path),
        };
      }
      if (path.at(-2) === 'substitutions') {
        return {
          message: `${where}: a substitution is a string, number or boolean, {value: ..., secret: true} or {fromEnv: VARIABLE, secret: true}`,
          offset: locate(doc, path),
        };
      }
      return {
        message: `${where}: ${isGlobs(path) ? 'must be a glob or a list of globs' : 'has the wrong shape'}`,
        offset: locate(doc, path),
      };
    case 'propertyNames':
      return undefined; // reported by the pattern error that comes with it
    case 'pattern':
      if (error.propertyName !== undefined)
        return {
          message: `${where}: "${error.propertyName}" is not a valid ${path.length === 1 && path[0] === 'rules' ? 'rule id (lower-case words joined by "-", e.g. calls-module)' : 'name'}`,
          offset: locate(doc, [...path, error.propertyName], true),
        };
      return { message: `${where}: "${String(error.data)}" is not valid`, offset: locate(doc, path) };
    default:
      if (error.keyword === 'type' && path.length === 2 && path[0] === 'rules' && path[1] === 'plugins')
        return {
          message: `${where}: a list of ES module files, e.g. [./rules/my-rules.mjs]`,
          offset: locate(doc, path),
        };
      // Errors under a oneOf branch are summarised by the oneOf error itself.
      if (error.schemaPath.includes('/oneOf/')) return undefined;
      return { message: `${where}: ${error.message ?? 'is invalid'}`, offset: locate(doc, path) };
  }
}

/** `flows`, `ignore` and a `files` entry's `match` take a glob or a list of globs. */
function isGlobs(path: readonly PathSegment[]): boolean {
  return path.length === 1 ? path[0] === 'flows' || path[0] === 'ignore' : path.at(-1) === 'match';
}
