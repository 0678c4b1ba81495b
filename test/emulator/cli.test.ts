/** `flowops emulator` as registered on a commander program, and its option parsers. */
import { Command } from 'commander';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { registerEmulatorCommand } from '../../src/cli/emulator.js';
import { ClientSpecError, parseClientSpec } from '../../src/emulator/index.js';
import { login } from '../helpers/emulator.js';
import { rejection } from './helpers.js';

function program(): { program: Command; errors: string[] } {
  const errors: string[] = [];
  const p = new Command().exitOverride().configureOutput({ writeErr: (s) => errors.push(s), writeOut: () => {} });
  registerEmulatorCommand(p);
  return { program: p, errors };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('parseClientSpec', () => {
  test('ID:SECRET, and ID:SECRET:SCOPES whose permissions contain colons', () => {
    expect(parseClientSpec('ci:s3cret')).toEqual({ id: 'ci', secret: 's3cret' });
    expect(parseClientSpec('ci:s3cret:architect:flow:view,architect:job:*')).toEqual({
      id: 'ci',
      secret: 's3cret',
      scopes: ['architect:flow:view', 'architect:job:*'],
    });
    expect(() => parseClientSpec('ci')).toThrow(ClientSpecError);
    expect(() => parseClientSpec(':secret')).toThrow(/expected ID:SECRET/);
    expect(() => parseClientSpec('ci:s:')).toThrow(/scope list .* is empty/);
  });
});

describe('flowops emulator', () => {
  test('--export-revision is in the help, default 2', () => {
    const { program: p } = program();
    const help = p.commands.find((c) => c.name() === 'emulator')?.helpInformation() ?? '';
    expect(help).toMatch(/--export-revision <n>\s+write exports as Architect did: 1 = 2021-22/);
    expect(help).toContain('(default: 2)');
  });

  test('prints its URL, serves the configured clients, and stops cleanly on SIGINT', async () => {
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const before = new Set(process.listeners('SIGINT'));
    const { program: p } = program();
    const running = p.parseAsync(
      ['emulator', '--port', '0', '--client', 'reader:pw:architect:flow:view', '--rate-limit', '0'],
      { from: 'user' },
    );
    await vi.waitFor(() => expect(out.join('')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\n$/), { timeout: 5000 });
    const url = new URL(out.join('').trim());
    const emulator = { url: url.origin, port: Number(url.port), seedRandom: 0, seeded: 0, close: async () => {} };

    const reader = await login(emulator, 'reader', 'pw');
    expect((await reader.architect.getFlows()).total).toBe(0);
    expect(await rejection(reader.architect.postFlowsJobs())).toMatchObject({ status: 403 });
    expect(
      (
        await fetch(`${url.origin}/login/oauth/token`, {
          method: 'POST',
          headers: { Authorization: `Basic ${Buffer.from('local-client:local-secret').toString('base64')}` },
          body: 'grant_type=client_credentials',
        })
      ).status,
    ).toBe(401);

    const stop = process.listeners('SIGINT').find((l) => !before.has(l));
    expect(stop).toBeTypeOf('function');
    (stop as () => void)();
    await running;
    await expect(fetch(`${url.origin}/__emulator/stats`)).rejects.toThrow();
    expect(process.listeners('SIGINT').filter((l) => !before.has(l))).toEqual([]);
  });

  test.each([
    [['--faults', 'status404=0.5'], /unknown fault "status404"/],
    [['--faults', 'jobFailure=2'], /jobFailure="2": expected a probability between 0 and 1/],
    [['--client', 'no-secret'], /expected ID:SECRET/],
    [['--port', 'http'], /--port.*expected a whole number/],
    [['--rate-limit', '-1'], /expected a whole number/],
    [['--export-revision', '3'], /--export-revision.*expected 1 or 2/],
  ])('rejects %j with a clear error', async (args, message) => {
    const { program: p, errors } = program();
    await expect(p.parseAsync(['emulator', ...args], { from: 'user' })).rejects.toThrow();
    expect(errors.join('')).toMatch(message);
  });
});
