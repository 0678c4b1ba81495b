/**
 * Mermaid diagrams rendered by the `mermaid` package itself in headless Chromium, as GitHub renders
 * the blocks of a comment: the package's browser build is injected into a blank page, each text is
 * parsed and rendered, and what the SVG holds is read back from the DOM (each node's classes and
 * text, each edge label's text) for the tests to assert on.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { newWatchedPage, type WatchedPage } from './browser.js';

const mermaidScript = join(
  dirname(createRequire(import.meta.url).resolve('mermaid/package.json')),
  'dist/mermaid.min.js',
);

export interface RenderedNode {
  /** The node's id in the diagram (`n3`), from the SVG element's id `diagram0-flowchart-n3-12`. */
  id: string;
  classes: string[];
  text: string;
}

export interface RenderedDiagram {
  /** Mermaid's error (a syntax error, a diagram too large), when it did not render. */
  error?: string;
  nodes: RenderedNode[];
  edgeLabels: string[];
  /** Subgraph titles. */
  clusters: string[];
}

/** A blank page with mermaid loaded (strict security, as GitHub). */
export async function mermaidPage(): Promise<WatchedPage> {
  const watched = await newWatchedPage();
  await watched.page.setContent('<!doctype html><html><body><div id="out"></div></body></html>');
  await watched.page.addScriptTag({ path: mermaidScript });
  await watched.page.evaluate(() => {
    // biome-ignore lint/suspicious/noExplicitAny: the page's global from the injected script
    (window as any).mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
  });
  return watched;
}

/** Parses and renders each text in turn on the page; one result per text, in order. */
export async function renderMermaid(page: Page, texts: readonly string[]): Promise<RenderedDiagram[]> {
  return page.evaluate(async (all) => {
    // biome-ignore lint/suspicious/noExplicitAny: the page's global from the injected script
    const mermaid = (window as any).mermaid;
    const out = document.getElementById('out')!;
    const results = [];
    for (let i = 0; i < all.length; i++) {
      try {
        await mermaid.parse(all[i]);
        const { svg } = await mermaid.render(`diagram${i}`, all[i]);
        const holder = document.createElement('div');
        holder.innerHTML = svg;
        out.appendChild(holder);
        const nodes = [...holder.querySelectorAll('g.node')].map((g) => ({
          id: (/flowchart-(.+)-\d+$/.exec(g.id) ?? [])[1] ?? g.id,
          classes: [...g.classList],
          text: (g.textContent ?? '').replace(/\s+/g, ' ').trim(),
        }));
        const edgeLabels = [...holder.querySelectorAll('g.edgeLabel')]
          .map((g) => (g.textContent ?? '').replace(/\s+/g, ' ').trim())
          .filter(Boolean);
        const clusters = [...holder.querySelectorAll('g.cluster-label')].map((g) =>
          (g.textContent ?? '').replace(/\s+/g, ' ').trim(),
        );
        results.push({ nodes, edgeLabels, clusters });
      } catch (error) {
        results.push({ error: String((error as Error)?.message ?? error), nodes: [], edgeLabels: [], clusters: [] });
      }
    }
    return results;
  }, texts);
}
