/**
 * Where to connect and as whom, from `GENESYS_ENV_URL`, `GENESYS_CLIENT_ID` and
 * `GENESYS_CLIENT_SECRET`. Parsing is pure; the CLI passes `process.env` in, nothing here reads it.
 *
 * Facts (shared/reference/genesys-flow-api.md section 1, the SDK's ApiClient.js and configuration.js):
 * - `ApiClient.setEnvironment(host)` strips `https://`, `http://` and `api.`, then always builds
 *   `https://api.<host>` and `https://login.<host>`.
 * - Any other server (a proxy, the emulator) is reached with `ApiClient.setGateway({host, protocol,
 *   port, path_params_login, path_params_api})`: login goes to `<gateway>/<path_params_login>/oauth/token`,
 *   API calls to `<gateway>/<path_params_api>/api/v2/...`.
 */
import { platformClient } from './sdk.js';
import { UsageError } from '../errors.js';

/** A Genesys Cloud region, reached through `setEnvironment`. */
export interface RegionTarget {
  kind: 'region';
  /** The region host without `api.`/`login.`, e.g. `usw2.pure.cloud`. */
  environment: string;
  /** For messages: `api.usw2.pure.cloud`. */
  label: string;
}

/** Any other server, reached through `setGateway` (the emulator, a corporate proxy). */
export interface GatewayTarget {
  kind: 'gateway';
  protocol: 'http' | 'https';
  /** Host name or address; an IPv6 address keeps its brackets, as URLs need them. */
  host: string;
  port: number;
  /** Path the API lives under (`''` for the server root); login is under `<pathPrefix>/login`. */
  pathPrefix: string;
  /** For messages: `127.0.0.1:8080`. */
  label: string;
}

export type GenesysTarget = RegionTarget | GatewayTarget;

export interface Credentials {
  clientId: string;
  clientSecret: string;
}

export interface ConnectionSettings {
  target: GenesysTarget;
  credentials: Credentials;
}

/** The SDK's own list (PureCloudRegionHosts.js), read when first needed; new regions also match GENESYS_DOMAIN below. */
let knownRegionHosts: ReadonlySet<string> | undefined;
const regionHosts = (): ReadonlySet<string> =>
  (knownRegionHosts ??= new Set(Object.values(platformClient.PureCloudRegionHosts ?? {})));
/** mypurecloud.com, .ie, .de, .jp, .com.au; <region>.pure.cloud, .us-gov-pure.cloud, .eusc-pure.cloud. */
const GENESYS_DOMAIN = /(^|\.)(mypurecloud\.(com|ie|de|jp|com\.au)|([a-z0-9-]+-)?pure\.cloud)$/;
const HOST_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;
const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const SERVICE_PREFIX = /^(api|login|apps)\./;

/** Whether `host` (lowercase, any of api./login./apps. prefixes) belongs to Genesys Cloud. */
export function isGenesysHost(host: string): boolean {
  const bare = host.replace(SERVICE_PREFIX, '');
  return GENESYS_DOMAIN.test(bare) || regionHosts().has(bare);
}

function regionTarget(host: string): RegionTarget {
  const environment = host.replace(SERVICE_PREFIX, '');
  return { kind: 'region', environment, label: `api.${environment}` };
}

function invalid(reason: string): UsageError {
  return new UsageError(`GENESYS_ENV_URL ${reason}`);
}

/**
 * Parses GENESYS_ENV_URL: a region host (`usw2.pure.cloud`, `api.mypurecloud.com`), a Genesys URL
 * (`https://api.mypurecloud.de`, `https://login.usw2.pure.cloud/`), or the URL of any other server
 * (`http://127.0.0.1:8080`, `https://proxy.example.com:8443/genesys`), which goes through the gateway.
 * Throws UsageError, naming the variable and never repeating credentials written into a URL.
 */
export function parseEnvUrl(text: string): GenesysTarget {
  const value = text.trim();
  if (value === '') throw invalid('is empty: set it to a region host such as mypurecloud.com, or to a URL');
  if (!SCHEME.test(value)) {
    const host = value.toLowerCase().replace(/\/+$/, '');
    if (!HOST_NAME.test(host)) {
      throw invalid(
        `"${value}" is not a host name: write a region host such as usw2.pure.cloud, or a URL with http:// or https://`,
      );
    }
    if (host === 'localhost' || /^[\d.]+$/.test(host)) {
      throw invalid(
        `"${value}" is not a Genesys Cloud region: write a local server as a URL, e.g. http://${host}:8080`,
      );
    }
    return regionTarget(host);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid('is not a valid URL');
  }
  if (url.username !== '' || url.password !== '') {
    throw invalid(
      'must not contain a user name or password: credentials come from GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET',
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalid(`uses ${url.protocol.slice(0, -1)}://: expected http:// or https://`);
  }
  const host = url.hostname.toLowerCase();
  // A Genesys host is always reached the SDK's way (https, api. and login. prefixes), whatever the
  // URL's scheme or path said: Genesys serves nothing over plain http.
  if (isGenesysHost(host) && (url.port === '' || url.port === '443')) return regionTarget(host);
  const protocol = url.protocol === 'https:' ? 'https' : 'http';
  const port = url.port === '' ? (protocol === 'https' ? 443 : 80) : Number(url.port);
  return {
    kind: 'gateway',
    protocol,
    host,
    port,
    pathPrefix: url.pathname.replace(/\/+$/, ''),
    label: `${host}:${port}`,
  };
}

/** The SDK's GatewayConfiguration for a gateway target. */
export function gatewayConfiguration(target: GatewayTarget): {
  host: string;
  protocol: string;
  port: number;
  path_params_login: string;
  path_params_api: string;
} {
  return {
    host: target.host,
    protocol: target.protocol,
    port: target.port,
    path_params_login: `${target.pathPrefix}/login`,
    path_params_api: target.pathPrefix,
  };
}

/** Host a request goes to, for messages (`login.mypurecloud.com`, `127.0.0.1:8080`). */
export function hostLabel(target: GenesysTarget, service: 'api' | 'login'): string {
  return target.kind === 'region' ? `${service}.${target.environment}` : target.label;
}

/**
 * Reads the connection from an environment (the CLI passes `process.env`). `region` is the config
 * file's `region:` for the chosen environment, used when GENESYS_ENV_URL is not set.
 */
export function readConnectionEnv(
  env: Readonly<Record<string, string | undefined>>,
  region?: string,
): ConnectionSettings {
  const envUrl = env.GENESYS_ENV_URL?.trim() || region?.trim();
  if (!envUrl) {
    throw new UsageError(
      'GENESYS_ENV_URL is not set and the environment has no region: set one of them (e.g. mypurecloud.com)',
    );
  }
  const clientId = env.GENESYS_CLIENT_ID?.trim() ?? '';
  if (clientId === '')
    throw new UsageError('GENESYS_CLIENT_ID is not set: the id of an OAuth client-credentials client');
  // The secret is used as given (no trim): a secret is opaque.
  const clientSecret = env.GENESYS_CLIENT_SECRET ?? '';
  if (clientSecret === '') throw new UsageError('GENESYS_CLIENT_SECRET is not set');
  return { target: parseEnvUrl(envUrl), credentials: { clientId, clientSecret } };
}
