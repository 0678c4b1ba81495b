/**
 * `module-version`: a `callCommonModule` whose version selector is not the one the team wants. Archy
 * writes the module's name as a key and the version under it: `ver_latestPublished` (every public
 * file) follows the module, and a caller republished after the module's change takes the new
 * version, which is what flowops' plan counts on when it republishes callers; any other `ver_...` key
 * pins one version (shape UNVERIFIED: no public file shows a pinned call). `want: pinned` turns the
 * rule round, for teams that roll module changes out caller by caller.
 */
import type { Rule } from '../types.js';
import { actionLabel, documentFacts, isMapping } from './document-walk.js';
import { checkOptions, oneOf } from './rule-options.js';

const LATEST = 'ver_latestPublished';

export interface ModuleVersionOptions {
  /** `latest` (default): every call follows the latest published version; `pinned`: every call names one. */
  want?: 'latest' | 'pinned';
}

export const moduleVersion: Rule<ModuleVersionOptions> = {
  id: 'module-version',
  description:
    'A callCommonModule that pins a module version where the team wants the latest (or the other way round: option want).',
  help: [
    'A module call names its version: `ver_latestPublished` takes the latest published version whenever the caller is',
    'published, so a module change reaches every caller that flowops republishes; a pinned version stays behind silently.',
    'Option: `want: latest` (default) reports pinned calls; `want: pinned` reports calls that follow the latest version.',
  ].join(' '),
  defaultSeverity: 'warn',
  validateOptions: (options) => checkOptions(options as Record<string, unknown>, { want: oneOf(['latest', 'pinned']) }),
  check(flow, ctx) {
    const want = ctx.options.want ?? 'latest';
    for (const site of documentFacts(flow.document).actions) {
      const modules = site.kind === 'callCommonModule' ? site.body.commonModule : undefined;
      if (!isMapping(modules)) continue;
      for (const [module, selector] of Object.entries(modules)) {
        const version = isMapping(selector) ? Object.keys(selector).find((key) => key.startsWith('ver_')) : undefined;
        if (version === undefined) continue;
        // The module's value starts at its version key: the report shows there.
        const path = [...site.path, 'commonModule', module];
        if (want === 'latest' && version !== LATEST)
          ctx.report(
            path,
            `${actionLabel(site)} pins version ${version.slice(4)} of "${module}": later changes of the module never reach this flow (use ${LATEST})`,
          );
        else if (want === 'pinned' && version === LATEST)
          ctx.report(
            path,
            `${actionLabel(site)} follows the latest published version of "${module}": this repository pins module versions`,
          );
      }
    }
  },
};
