/**
 * The official Genesys Cloud SDK, loaded with `require`, and only when first used. It is a 4 MB
 * CommonJS bundle: imported from ESM, Node first scans all of it for its named exports
 * (cjs-module-lexer), which cost about 120 ms of every command's start on the bench machine;
 * required, it is only compiled, some 90 ms more, which commands that never reach an org (validate,
 * graph, the emulator) no longer pay: `platformClient` loads the bundle at its first property read.
 * Every module of genesys/ takes the SDK from here (types may still be imported from the package
 * directly).
 */
import { createRequire } from 'node:module';
import type sdk from 'purecloud-platform-client-v2';

const require = createRequire(import.meta.url);

let loaded: typeof sdk | undefined;
const load = (): typeof sdk => {
  loaded ??= require('purecloud-platform-client-v2') as typeof sdk;
  return loaded;
};

export const platformClient: typeof sdk = new Proxy({} as typeof sdk, {
  get: (_target, key) => Reflect.get(load(), key),
  has: (_target, key) => Reflect.has(load(), key),
});
