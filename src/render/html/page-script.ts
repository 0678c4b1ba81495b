/**
 * The report's script, inline in the page: zoom and pan of each drawing, and each flow's
 * before/after switch. Short and ours, not a library: the drawings arrive laid out (layout.ts), so
 * all that is left is a transform on one `<g>` per drawing; svg-pan-zoom, the usual library, is
 * several times this size. Plain ES2017 in a string: it runs in the reader's browser, not in Node.
 *
 * Zoom: the + and − buttons, Ctrl (or ⌘) with the wheel or a pinch, keys + − 0 when the drawing has
 * the focus; the plain wheel scrolls the page as everywhere else. Pan: drag, or the arrow keys.
 * A drawing opens with its first change in view; "next change" steps through the changed boxes.
 * When every drawing is set up, `document.body.dataset.ready` is `true` (tests wait for it).
 */
export const PAGE_SCRIPT = `
(function () {
  'use strict';
  var MIN = 0.05, MAX = 4, STEP = 1.25;
  function setUp(frame) {
    var svg = frame.querySelector('svg.drawing');
    if (!svg) return;
    var g = svg.querySelector('g.viewport');
    var w = Number(svg.getAttribute('data-width')) || 1, h = Number(svg.getAttribute('data-height')) || 1;
    svg.removeAttribute('viewBox');
    svg.setAttribute('width', '100%');
    svg.setAttribute('height', '100%');
    var s = 1, x = 0, y = 0;
    function apply() {
      g.setAttribute('transform', 'translate(' + x.toFixed(1) + ' ' + y.toFixed(1) + ') scale(' + s.toFixed(4) + ')');
      frame.setAttribute('data-scale', s.toFixed(4));
    }
    function zoomAt(factor, cx, cy) {
      var next = Math.min(MAX, Math.max(MIN, s * factor));
      x = cx - (cx - x) * (next / s);
      y = cy - (cy - y) * (next / s);
      s = next;
      apply();
    }
    function centre(factor) { zoomAt(factor, frame.clientWidth / 2, frame.clientHeight / 2); }
    // First view: the drawing's width fits (never enlarged), its top shown; a tall flow is panned.
    function fitWidth() {
      s = Math.min(1, frame.clientWidth / w);
      x = (frame.clientWidth - w * s) / 2;
      y = 0;
      apply();
    }
    function fitAll() {
      s = Math.max(MIN, Math.min(1, frame.clientWidth / w, frame.clientHeight / h));
      x = (frame.clientWidth - w * s) / 2;
      y = (frame.clientHeight - h * s) / 2;
      apply();
    }
    // The changed boxes in drawing order; the first is brought into view, the next-change button steps through them.
    var changed = svg.querySelectorAll('.node:not([data-status="same"])');
    var at = -1;
    function show(node) {
      var m = /translate\\(([-\\d.]+),([-\\d.]+)\\)/.exec(node.getAttribute('transform') || '');
      if (!m) return;
      x = frame.clientWidth / 2 - Number(m[1]) * s;
      y = frame.clientHeight / 3 - Number(m[2]) * s;
      apply();
    }
    var width = Math.min(1, frame.clientWidth / w);
    frame.style.height = Math.max(160, Math.min(h * width + 2, window.innerHeight * 0.75)) + 'px';
    fitWidth();
    if (changed.length && changed[0].getBoundingClientRect().bottom > frame.getBoundingClientRect().bottom) {
      at = 0;
      show(changed[0]);
    }
    var tools = frame.parentNode.querySelector('.toolbar');
    if (tools) tools.addEventListener('click', function (event) {
      var button = event.target.closest('button[data-zoom]');
      if (!button) return;
      var what = button.getAttribute('data-zoom');
      if (what === 'in') centre(STEP);
      else if (what === 'out') centre(1 / STEP);
      else if (what === 'fit') fitAll();
      else if (what === 'next') {
        if (!changed.length) return;
        at = (at + 1) % changed.length;
        show(changed[at]);
      }
      else { s = 1; x = 0; y = 0; apply(); }
    });
    frame.addEventListener('wheel', function (event) {
      if (!event.ctrlKey && !event.metaKey) return;
      event.preventDefault();
      var box = frame.getBoundingClientRect();
      zoomAt(Math.exp(-event.deltaY * 0.002), event.clientX - box.left, event.clientY - box.top);
    }, { passive: false });
    var drag = null;
    frame.addEventListener('pointerdown', function (event) {
      if (event.button !== 0) return;
      drag = { px: event.clientX, py: event.clientY, x: x, y: y };
      frame.setPointerCapture(event.pointerId);
      frame.classList.add('dragging');
    });
    frame.addEventListener('pointermove', function (event) {
      if (!drag) return;
      x = drag.x + event.clientX - drag.px;
      y = drag.y + event.clientY - drag.py;
      apply();
    });
    function stop() { drag = null; frame.classList.remove('dragging'); }
    frame.addEventListener('pointerup', stop);
    frame.addEventListener('pointercancel', stop);
    frame.addEventListener('keydown', function (event) {
      var keys = { '+': function () { centre(STEP); }, '=': function () { centre(STEP); }, '-': function () { centre(1 / STEP); },
        '0': fitAll, ArrowLeft: function () { x += 40; apply(); }, ArrowRight: function () { x -= 40; apply(); },
        ArrowUp: function () { y += 40; apply(); }, ArrowDown: function () { y -= 40; apply(); } };
      var act = keys[event.key];
      if (act) { event.preventDefault(); act(); }
    });
  }
  document.addEventListener('click', function (event) {
    var button = event.target.closest && event.target.closest('button[data-view]');
    if (!button) return;
    var section = button.closest('section.flow');
    var view = button.getAttribute('data-view');
    section.setAttribute('data-view', view);
    var all = section.querySelectorAll('button[data-view]');
    for (var i = 0; i < all.length; i++) all[i].setAttribute('aria-pressed', String(all[i] === button));
  });
  var frames = document.querySelectorAll('.frame');
  for (var i = 0; i < frames.length; i++) setUp(frames[i]);
  document.body.setAttribute('data-ready', 'true');
})();
`;
