/**
 * The official Genesys Cloud SDK, loaded with `require`. It is a 4 MB CommonJS bundle: imported from
 * ESM, Node first scans all of it for its named exports (cjs-module-lexer), which cost about 120 ms
 * of every command's start on the bench machine; required, it is only compiled. Every module of
 * genesys/ takes the SDK from here (types may still be imported from the package directly).
 */
import { createRequire } from 'node:module';
import type sdk from 'purecloud-platform-client-v2';

const require = createRequire(import.meta.url);

export const platformClient: typeof sdk = require('purecloud-platform-client-v2');
