/**
 * The JSON Schemas shipped in `schemas/` (also used by editors through yaml-language-server).
 * Imported as JSON modules rather than read from disk, so the pure core (check/, config/) that
 * validates against them needs no file system: `dist/` and `schemas/` sit side by side in the
 * package as `src/` and `schemas/` do here, so the same relative path works compiled and in tests.
 * (Import attributes, `with { type: 'json' }`: Node 20.10 and later.)
 */
import configSchema from '../schemas/config.schema.json' with { type: 'json' };
import flowSchema from '../schemas/flow.schema.json' with { type: 'json' };
import planSchema from '../schemas/plan.schema.json' with { type: 'json' };

const schemas: Record<'flow' | 'config' | 'plan', Record<string, unknown>> = { flow: flowSchema, config: configSchema, plan: planSchema };

export function loadSchema(name: 'flow' | 'config' | 'plan'): Record<string, unknown> {
  return schemas[name];
}
