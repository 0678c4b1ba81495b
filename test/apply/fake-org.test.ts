/**
 * The fake org is strict: what a test did not expect fails the test, even when the code under test
 * catches the error (apply turns a flow's error into a failed outcome). `it.fails` passes only when
 * the test fails.
 */
import { describe, expect, it } from 'vitest';
import { FakeOrg } from './fake-org.js';

const hold = 'inqueueCall:\n  name: Hold\n  startUpTaskActions:\n    - disconnect: {name: Bye}\n';

describe('the strict fake org', () => {
  it('answers the calls a test expects', async () => {
    const org = new FakeOrg();
    const flow = org.seed(hold);
    expect((await org.getFlow(flow.id))?.name).toBe('Hold');
    expect(org.calls).toEqual({ getFlow: 1 });
  });

  it.fails('a method the test did not expect fails the test, even when the caller swallows the error', async () => {
    const org = new FakeOrg();
    const flow = org.seed(hold);
    await org.deleteFlow(flow.id).catch(() => undefined);
  });

  it.fails('an id the org does not have fails the test, even when the caller swallows the error', async () => {
    const org = new FakeOrg();
    await org.checkoutFlow('id-nobody-knows').catch(() => undefined);
  });
});
