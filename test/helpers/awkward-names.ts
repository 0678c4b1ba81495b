/**
 * Names that break drawings written without care: mermaid syntax, HTML, markdown, the characters of
 * mermaid's entity codes, emoji and right-to-left text. The drawing tests put each in a flow and
 * check it parses and shows as written.
 */
export const AWKWARD_NAMES: Record<string, string> = {
  quotes: `Say "hi" and 'bye'`,
  brackets: 'Menu [1] (main) {x} ((y)) [[z]] >a]',
  arrow: 'a --> b ==> c -.-> d --- e',
  script: '<script>alert(1)</script>',
  html: '<b>bold</b> <img src=x onerror=alert(1)> &amp; &lt;',
  markdown: '**bold** _it_ `code` # h1 [link](http://x) ~~s~~',
  pipe: 'pipe | here |x|',
  entities: '#quot; #35; #lt; &#60; ;',
  emoji: 'Call 📞 us 😀 👩🏽‍💻',
  rtl: 'שלום مرحبا abc',
  keywords: 'end subgraph classDef x fill:#f00 click n0',
  percent: '%% not a comment %%{init: {"theme": "dark"}}%%',
  style: 'Lifestyle: #1; style x fill:#f00;',
  breaks: 'first line\nsecond\tline',
  backslash: 'C:\\path\\ "q"',
};
