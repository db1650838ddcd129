// Pages for the boot tests (tracker.test.js, slots.test.js): posts with and without slots, what WordPress
// server mode prints, and a browser that runs the slots part when the tracker adds its <script>.
import { register } from '../src/slots.js';
import { el, makeWindow } from './fake-dom.js';

export const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

// What a browser does with the tracker's <script data-pertinent-slots>: fetches it, then runs it. The
// tags it was asked for are listed in win.slotTags.
export function servesSlotsPart(win) {
  const head = win.document.head;
  const append = head.appendChild.bind(head);
  win.slotTags = [];
  head.appendChild = (n) => {
    if (n.hasAttribute?.('data-pertinent-slots')) {
      win.slotTags.push(n.src);
      setTimeout(() => register(win));
    }
    return append(n);
  };
  return win;
}

// A page with a banner slot (two variant templates) and a recommendations slot, and a fake sidecar.
export function page({ answer, script = {}, stub, fetchFails = false } = {}) {
  const requests = [];
  const beacons = [];
  const logs = [];
  const win = makeWindow('https://site.example/post/7', {
    navigator: { language: 'en', sendBeacon: (url, body) => beacons.push([url, JSON.parse(body)]) },
    console: { log: (...a) => logs.push(a) },
    fetch: async (url, init) => {
      requests.push([url, JSON.parse(init.body)]);
      if (fetchFails) throw new TypeError('Failed to fetch');
      return { ok: true, json: async () => answer };
    },
  });
  servesSlotsPart(win);
  const doc = win.document;
  doc.currentScript = el(doc, 'script', { 'data-endpoint': 'https://sidecar.example/v1', 'data-site-key': 'pk', ...script });
  doc.currentScript.src = 'https://site.example/js/pertinent.min.js?ver=2';
  const hero = el(doc, 'div', { 'data-pertinent-slot': 'hero', 'data-pertinent-kind': 'banner', 'data-pertinent-candidates': '12,13' },
    [el(doc, 'p', {}, ['default hero'])]);
  for (const id of ['12', '13']) {
    const t = el(doc, 'template', { 'data-pertinent-variant': id });
    t.content.appendChild(el(doc, 'a', { href: '/offer/' + id }, ['Variant ' + id]));
    hero.appendChild(t);
  }
  const more = el(doc, 'div', { 'data-pertinent-slot': 'more', 'data-pertinent-count': '2' }, ['default list']);
  doc.body.appendChild(hero);
  doc.body.appendChild(more);
  if (stub) win.pertinent = stub;
  return { win, doc, hero, more, requests, beacons, logs };
}


export const ANSWER = {
  decision_id: 'dec-1', arm: 'model', slots: {
    hero: { kind: 'banner', content_ids: ['13'], items: [], source: 'model' },
    more: { kind: 'recommendations', content_ids: ['1', '2'], source: 'popular',
      items: [{ id: '1', title: 'One', url: '/post/1' }, { id: '2', title: 'Two', url: '/post/2' }] },
  },
};


export function hidePage(p) {
  p.doc.visibilityState = 'hidden';
  p.doc.dispatchEvent({ type: 'visibilitychange' });
}

// What WordPress server mode prints: slots already decided, with the decision, arm and items in the markup.
export function serverPage({ script = {}, clientSlot = false, failed = false } = {}) {
  const requests = [];
  const beacons = [];
  const observers = [];
  const win = makeWindow('https://site.example/three-slots/', {
    navigator: { language: 'en', sendBeacon: (url, body) => beacons.push([url, JSON.parse(body)]) },
    fetch: async (url, init) => {
      requests.push([url, JSON.parse(init.body)]);
      return { ok: true, json: async () => ANSWER };
    },
    // Each slot gets its observer; a test says when one is half visible, and the second passes at once.
    IntersectionObserver: class {
      constructor(cb) { this.cb = cb; observers.push(this); }
      observe(target) { this.target = target; }
      disconnect() {}
    },
    setTimeout: (fn) => { fn(); return 1; },
  });
  servesSlotsPart(win);
  const doc = win.document;
  doc.currentScript = el(doc, 'script', { 'data-endpoint': 'https://site.example/wp-json/pertinent/v1', ...script });
  doc.currentScript.src = 'https://site.example/js/pertinent.min.js?ver=2';
  const server = (name, kind, attrs, children) => el(doc, 'div', {
    'data-pertinent-slot': name, 'data-pertinent-kind': kind, 'data-pertinent-rendered': 'server', ...attrs,
  }, children);
  const decided = failed ? { 'data-pertinent-source': 'default', 'data-pertinent-reason': 'pertinent_circuit_open' }
    : { 'data-pertinent-decision': 'srv-1', 'data-pertinent-arm': 'model', 'data-pertinent-source': 'model' };
  const hero = server('hero', 'banner', decided, failed ? [el(doc, 'p', {}, ['default hero'])]
    : [el(doc, 'div', { class: 'pertinent-variant', 'data-pertinent-content-id': '13' }, ['Spring sale'])]);
  const recs = server('recs', 'recommendations', decided, failed ? [el(doc, 'p', {}, ['default recs'])]
    : [el(doc, 'ul', {}, ['4', '5', '6'].map((id) => el(doc, 'li', { 'data-pertinent-content-id': id },
      [el(doc, 'a', { href: '/post/' + id }, ['Post ' + id])])))]);
  const cta = server('cta', 'cta', { ...decided, 'data-pertinent-source': 'default' }, [el(doc, 'p', {}, ['default cta'])]);
  for (const s of [hero, recs, cta]) doc.body.appendChild(s);
  if (clientSlot) doc.body.appendChild(el(doc, 'div', { 'data-pertinent-slot': 'more', 'data-pertinent-count': '2' }, ['default list']));
  const see = (slot) => observers.find((o) => o.target === slot).cb([{ intersectionRatio: 1 }]);
  return { win, doc, hero, recs, cta, requests, beacons, observers, see };
}


export const sent = (p) => p.beacons.flatMap(([, body]) => body.events);
