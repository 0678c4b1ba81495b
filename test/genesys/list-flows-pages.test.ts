/**
 * listFlows' pages when the caller says how many flows to expect: the pages they fill are asked for
 * together with the first (a round trip less), and the listing is whole whether the guess is short
 * or long. A fake session stands for the API: it answers the first page only once the second was
 * asked for, so a listing that waited for the first page before asking for more would never end.
 */
import { describe, expect, it } from 'vitest';
import type { ApiSession } from '../../src/genesys/api-session.js';
import { listFlows } from '../../src/genesys/list-flows.js';

const TOTAL = 33;
const PAGE = 7;

/** An org of TOTAL inbound flows, listed PAGE at a time; `asked` holds the page numbers in the order asked. */
function fakeOrg(firstWaitsForSecond: boolean, refusesPastTheEnd = false) {
  const asked: number[] = [];
  let secondAsked: () => void = () => {};
  const second = new Promise<void>((resolve) => (secondAsked = resolve));
  const getFlows = async ({ pageNumber }: { pageNumber: number }) => {
    asked.push(pageNumber);
    if (pageNumber === 2) secondAsked();
    if (pageNumber === 1 && firstWaitsForSecond)
      await Promise.race([
        second,
        new Promise((_, reject) => setTimeout(() => reject(new Error('page 2 was not asked for with page 1')), 2000)),
      ]);
    if (refusesPastTheEnd && pageNumber > Math.ceil(TOTAL / PAGE)) throw new Error('400 bad.request: no such page');
    const ids = Array.from({ length: TOTAL }, (_, i) => i).slice((pageNumber - 1) * PAGE, pageNumber * PAGE);
    return {
      entities: ids.map((i) => ({ id: `id-${String(i).padStart(2, '0')}`, name: `Line ${i}`, type: 'INBOUNDCALL' })),
      pageCount: Math.ceil(TOTAL / PAGE),
      total: TOTAL,
    };
  };
  const session = {
    call: (_label: string, send: (api: unknown) => Promise<unknown>) => send({ getFlows }),
  } as unknown as ApiSession;
  return { session, asked };
}

describe('listFlows with an expected count', () => {
  it('asks for the pages the expected flows fill together with the first', async () => {
    const { session, asked } = fakeOrg(true);
    const flows = await listFlows(session, ['inboundcall'], { pageSize: PAGE, expected: TOTAL });
    expect(flows).toHaveLength(TOTAL);
    expect(asked.slice(0, 5).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(asked).toHaveLength(5);
  });

  it('a short guess: the rest of the pages after the first, every flow once', async () => {
    const { session, asked } = fakeOrg(false);
    const flows = await listFlows(session, ['inboundcall'], { pageSize: PAGE, expected: 10 });
    expect(new Set(flows.map((f) => f.id)).size).toBe(TOTAL);
    expect(asked.sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('a long guess: the pages past the end come back empty, the listing is the same', async () => {
    const { session, asked } = fakeOrg(false);
    const flows = await listFlows(session, ['inboundcall'], { pageSize: PAGE, expected: 50 });
    expect(flows.map((f) => f.id)).toEqual(Array.from({ length: TOTAL }, (_, i) => `id-${String(i).padStart(2, '0')}`));
    expect(asked).toHaveLength(8);
  });

  it('a long guess against an org that refuses pages past the end: only the pages that exist count', async () => {
    const { session, asked } = fakeOrg(false, true);
    const flows = await listFlows(session, ['inboundcall'], { pageSize: PAGE, expected: 50 });
    expect(flows).toHaveLength(TOTAL);
    expect(asked).toHaveLength(8);
  });

  it('an early page that exists and fails fails the listing', async () => {
    const { session } = fakeOrg(false);
    const failing = {
      call: (label: string, send: (api: unknown) => Promise<unknown>) =>
        label.includes('page 3') ? Promise.reject(new Error('503 on page 3')) : session.call(label, send as never),
    } as unknown as typeof session;
    await expect(listFlows(failing, ['inboundcall'], { pageSize: PAGE, expected: TOTAL })).rejects.toThrow(
      '503 on page 3',
    );
  });

  it('without one, the first page says how many more there are', async () => {
    const { session, asked } = fakeOrg(false);
    expect(await listFlows(session, ['inboundcall'], { pageSize: PAGE })).toHaveLength(TOTAL);
    expect(asked[0]).toBe(1);
    expect(asked).toHaveLength(5);
  });
});
