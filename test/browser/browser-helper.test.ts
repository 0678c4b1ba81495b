import { describe, expect, it } from 'vitest';
import { isNonBlank, newWatchedPage } from '../helpers/browser.js';

// The browser helper itself: it must see errors and network requests, and tell blank from drawn,
// or every page test built on it would pass on nothing.
describe('browser helper', () => {
  it('records console errors and network requests, and tells a blank screenshot from a drawn one', async () => {
    const { page, errors, requests } = await newWatchedPage({ width: 200, height: 100 });
    await page.setContent('<body style="margin:0;background:#fff"></body>');
    expect(await isNonBlank(page, await page.screenshot())).toBe(false);
    await page.setContent(
      '<body style="margin:0"><div style="width:80px;height:40px;background:#c00"></div><p style="color:#00c">x</p>' +
        '<img src="http://127.0.0.1:9/x.png"><script>console.error("boom")</script></body>',
    );
    expect(await isNonBlank(page, await page.screenshot())).toBe(true);
    expect(errors.some((e) => e.includes('boom'))).toBe(true);
    expect(requests).toContain('http://127.0.0.1:9/x.png');
    await page.context().close();
  });
});
