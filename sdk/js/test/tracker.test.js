import { test } from 'node:test';
import assert from 'node:assert/strict';
import { boot } from '../src/tracker.js';
import { register } from '../src/slots.js';
import { Node, el, makeWindow } from './fake-dom.js';
import { ANSWER, hidePage, page, sent, servesSlotsPart, tick } from './pages.js';

// An ordinary post: no slot, a link in the text and a "read next" card marked with its content id.
function post({ script = { 'data-content-id': '7' }, body = {}, href = 'https://site.example/post/7' } = {}) {
  const beacons = [];
  const requests = [];
  const win = servesSlotsPart(makeWindow(href, {
    navigator: { language: 'en', sendBeacon: (url, b) => beacons.push([url, JSON.parse(b)]) },
    fetch: async (url, init) => (requests.push([url, init]), { ok: true, json: async () => ANSWER }),
  }));
  const doc = win.document;
  doc.currentScript = el(doc, 'script', { 'data-endpoint': 'https://site.example/wp-json/pertinent/v1', ...script });
  doc.currentScript.src = 'https://site.example/js/pertinent.min.js?ver=2';
  for (const [k, v] of Object.entries(body)) doc.body.setAttribute(k, v);
  const text = el(doc, 'p', {}, [el(doc, 'a', { href: '/about/' }, ['about us']), el(doc, 'em', {}, ['just text'])]);
  const card = el(doc, 'div', { 'data-pertinent-content-id': '9' }, [el(doc, 'a', { href: '/post/9' }, [el(doc, 'span', {}, ['Post 9'])])]);
  doc.body.appendChild(text);
  doc.body.appendChild(card);
  return { win, doc, text, card, beacons, requests, p: { beacons } };
}

const click = (doc, target) => doc.dispatchEvent({ type: 'click', target });

test('a post without slots sends its view and dwell with its content id, and loads no slots part', async () => {
  const t = post();
  boot(t.win);
  await tick();
  t.win.listeners.pagehide.forEach((fn) => fn({ type: 'pagehide' }));
  const events = sent(t.p);
  assert.deepEqual(events.map((e) => [e.type, e.content_id]), [['view', '7'], ['dwell', '7']]);
  assert.equal(t.beacons[0][0], 'https://site.example/wp-json/pertinent/v1/events');
  assert.match(events[0].visitor_id, /^[0-9a-f]{32}$/);
  assert.equal(events[0].visitor_id, events[1].visitor_id);
  assert.equal(events[0].context.url, 'https://site.example/post/7');
  assert.ok(events[1].value >= 0);
  assert.deepEqual(t.win.slotTags, [], 'no slot, no slots part');
  assert.equal(t.requests.length, 0, 'and no decide request');
});

test('the dwell is sent once when the page is hidden and then unloaded', async () => {
  const t = post();
  boot(t.win);
  hidePage(t);
  t.win.listeners.pagehide.forEach((fn) => fn({ type: 'pagehide' }));
  assert.deepEqual(sent(t.p).map((e) => e.type), ['view', 'dwell']);
});

test('the visitor id is the first-party cookie, so the server decides with the same one', async () => {
  const t = post();
  t.doc.cookie = 'pertinent_vid=fromtheserver0001';
  t.win.localStorage.setItem('pertinent_vid', 'an-older-browser-id');
  boot(t.win);
  hidePage(t);
  assert.deepEqual([...new Set(sent(t.p).map((e) => e.visitor_id))], ['fromtheserver0001']);
});

test('links followed from a page are clicks: on the marked item, else on the page itself', async () => {
  const t = post();
  boot(t.win);
  click(t.doc, t.text.childNodes[0]); // a plain link in the text
  click(t.doc, t.card.childNodes[0].childNodes[0]); // inside the card's link
  click(t.doc, t.text.childNodes[1]); // not a link: nothing
  hidePage(t);
  const clicks = sent(t.p).filter((e) => e.type === 'click');
  assert.deepEqual(clicks.map((e) => [e.content_id, e.slot, e.decision_id]), [['7', undefined, undefined], ['9', undefined, undefined]]);
});

test('archives and home pages send a view without a content id', async () => {
  const t = post({ script: {}, href: 'https://site.example/category/garden/' });
  boot(t.win);
  hidePage(t);
  const [view] = sent(t.p);
  assert.equal(view.type, 'view');
  assert.equal('content_id' in view, false, 'left out, not null');
  assert.equal(view.context.url, 'https://site.example/category/garden/');
});

test('a page that is not WordPress may name its content on <body data-content-id>', async () => {
  const t = post({ script: {}, body: { 'data-content-id': 'sku-12' } });
  boot(t.win);
  hidePage(t);
  assert.deepEqual(sent(t.p).map((e) => e.content_id), ['sku-12', 'sku-12']);
  const tagged = post({ script: { 'data-content-id': '7' }, body: { 'data-content-id': 'sku-12' } });
  boot(tagged.win);
  hidePage(tagged);
  assert.equal(sent(tagged.p)[0].content_id, '7', 'the tag wins');
});

test('without consent where it is required, a post sends nothing and stores nothing', async () => {
  for (const script of [{ 'data-require-consent': '' }, { 'data-respect-dnt': '' }]) {
    const t = post({ script: { 'data-content-id': '7', ...script } });
    t.win.navigator.doNotTrack = '1';
    boot(t.win);
    click(t.doc, t.text.childNodes[0]);
    hidePage(t);
    assert.equal(t.beacons.length, 0, JSON.stringify(script));
    assert.equal(t.win.localStorage.getItem('pertinent_vid'), null);
    assert.equal(t.doc.cookie, '');
  }
});

test('consent given later starts tracking from then on', async () => {
  const t = post({ script: { 'data-require-consent': '', 'data-content-id': '7' } });
  boot(t.win);
  t.win.pertinent('consent', true);
  click(t.doc, t.text.childNodes[0]);
  hidePage(t);
  assert.deepEqual(sent(t.p).map((e) => e.type), ['click', 'dwell']);
});

test('the slots part is fetched once, beside the tracker, when the first slot appears', async () => {
  const p = page({ answer: ANSWER });
  boot(p.win);
  assert.deepEqual(p.win.slotTags, ['https://site.example/js/pertinent-slots.min.js?ver=2']);
  p.win.observers[0].cb([]);
  await tick();
  p.win.observers[0].cb([]);
  assert.equal(p.win.slotTags.length, 1);
  assert.equal(p.requests.length, 1, 'and the slots are decided once');
  assert.equal(p.hero.textContent, 'Variant 13');
});

test('a slot added to a page without slots loads the slots part then', async () => {
  const t = post();
  boot(t.win);
  assert.deepEqual(t.win.slotTags, []);
  t.doc.body.appendChild(el(t.doc, 'div', { 'data-pertinent-slot': 'more', 'data-pertinent-count': '2' }, ['later']));
  t.win.observers[0].cb([]);
  await tick();
  assert.equal(t.win.slotTags.length, 1);
  assert.equal(t.requests.length, 1);
});

test('a slots part tag already on the page (WordPress prints one) is not fetched again', async () => {
  const p = page({ answer: ANSWER });
  Node.prototype.appendChild.call(p.doc.head, el(p.doc, 'script', { 'data-pertinent-slots': '' }));
  boot(p.win);
  assert.deepEqual(p.win.slotTags, []);
  await tick();
  assert.equal(p.requests.length, 0, 'nothing is decided before the part runs');
  register(p.win); // the printed tag runs after the tracker (both deferred, in order)
  await tick();
  assert.equal(p.requests.length, 1);
  assert.equal(p.hero.textContent, 'Variant 13');
});

test('a slots part that ran before the tracker waits in the command queue', async () => {
  const p = page({ answer: ANSWER });
  register(p.win);
  assert.equal(typeof p.win.pertinent.q, 'object');
  boot(p.win);
  await tick();
  assert.equal(p.requests.length, 1);
  assert.equal(p.win.slotTags.length, 0, 'already there: not fetched');
  assert.equal(p.more.textContent, 'OneTwo');
});

test('a slots part that never arrives leaves the slots with their defaults and the view still goes', async () => {
  const p = page({ answer: ANSWER });
  p.win.document.head.appendChild = () => {}; // the file is blocked or missing
  boot(p.win);
  await tick();
  hidePage(p);
  assert.equal(p.hero.textContent.startsWith('default hero'), true);
  assert.deepEqual(sent(p).map((e) => e.type), ['view', 'dwell']);
});
