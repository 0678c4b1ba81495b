import { describe, expect, it } from 'vitest';
import { connectGenesys } from '../../src/genesys/index.js';
import { join } from 'node:path';
import { emulatorForTest, orgContent } from '../helpers/emulator.js';
import { tempDir } from '../helpers/temp-dir.js';
import { CLIENT } from './helpers.js';

describe('listOrgObjects', () => {
  it('lists the queues by name, once per client, and writes nothing', async () => {
    const stateFile = join(tempDir(), 'org.json');
    const emulator = await emulatorForTest({
      stateFile,
      objects: { queues: ['Support', 'Billing ', 'Ventes – Québec'] },
    });
    const before = await orgContent(stateFile);
    const client = await connectGenesys({ target: emulator.url, credentials: CLIENT });
    try {
      const first = await client.listOrgObjects('queue');
      const again = await client.listOrgObjects('queue');
      expect(first).toEqual(again);
      expect(first.outcome).toBe('listed');
      if (first.outcome !== 'listed') return;
      expect(first.objects.map((o) => o.name).sort()).toEqual(['Billing ', 'Support', 'Ventes – Québec']);
      // A login and one page: the second ask is the same listing.
      expect(client.stats.requests).toBe(2);
    } finally {
      await client.close();
    }
    expect(await orgContent(stateFile)).toEqual(before);
  });

  it('reads every page, at the largest page size the endpoint takes (queues: 500)', async () => {
    const names = Array.from({ length: 520 }, (_, i) => `Queue ${String(i).padStart(3, '0')}`);
    const emulator = await emulatorForTest({ rateLimitPerMinute: 0, objects: { queues: names } });
    const client = await connectGenesys({ target: emulator.url, credentials: CLIENT });
    try {
      const listing = await client.listOrgObjects('queue');
      expect(listing.outcome === 'listed' && listing.objects.map((o) => o.name).sort()).toEqual(names);
      // A login and two pages of 500.
      expect(client.stats.requests).toBe(3);
    } finally {
      await client.close();
    }
  });

  it('data actions with their integration (the category), 250 of them in three pages of 100', async () => {
    const dataActions = Array.from({ length: 250 }, (_, i) => ({
      integration: i % 2 ? 'Partner' : 'Genesys Cloud Data Actions',
      name: `Action ${i}`,
    }));
    const emulator = await emulatorForTest({ objects: { dataActions } });
    const client = await connectGenesys({ target: emulator.url, credentials: CLIENT });
    try {
      const listing = await client.listOrgObjects('dataAction');
      expect(listing.outcome === 'listed' && [...listing.objects].sort((a, b) => (a.name < b.name ? -1 : 1))).toEqual(
        [...dataActions].sort((a, b) => (a.name < b.name ? -1 : 1)),
      );
      expect(client.stats.requests).toBe(1 + 3);
    } finally {
      await client.close();
    }
  });

  it('a 403 is "forbidden", naming the permission the client lacks', async () => {
    const emulator = await emulatorForTest({
      clients: [{ id: CLIENT.clientId, secret: CLIENT.clientSecret, scopes: ['architect:*'] }],
    });
    const client = await connectGenesys({ target: emulator.url, credentials: CLIENT });
    try {
      expect(await client.listOrgObjects('queue')).toEqual({
        kind: 'queue',
        outcome: 'forbidden',
        permission: 'routing:queue:view',
      });
    } finally {
      await client.close();
    }
  });

  it('a 404 (an org that models no such objects) is "unlisted", not an error', async () => {
    const emulator = await emulatorForTest();
    const client = await connectGenesys({ target: emulator.url, credentials: CLIENT });
    try {
      // Without an objects file the emulator models no org objects: its list endpoints answer 404.
      expect(await client.listOrgObjects('wrapupCode')).toEqual({ kind: 'wrapupCode', outcome: 'unlisted' });
    } finally {
      await client.close();
    }
  });
});
