import { test } from 'node:test';
import assert from 'node:assert/strict';
import { boot } from '../src/tracker.js';
import { el } from './fake-dom.js';
import { ANSWER, hidePage, page, sent, serverPage, tick } from './pages.js';

test('one decide request for all slots, then the slots show the chosen content', async () => {
  const p = page({ answer: ANSWER });
  boot(p.win);
  await tick();
  assert.equal(p.requests.length, 1);
  const [url, body] = p.requests[0];
  assert.equal(url, 'https://sidecar.example/v1/decide?key=pk');
  assert.deepEqual(body.slots.map((s) => s.name), ['hero', 'more']);
  assert.deepEqual(body.slots[0].candidates, ['12', '13']);
  assert.match(body.visitor_id, /^[0-9a-f]{32}$/);
  assert.equal(body.context.consent, true);
  assert.equal(p.hero.textContent, 'Variant 13');
  assert.equal(p.more.textContent, 'OneTwo');
  assert.deepEqual(p.logs, [], 'silent without data-debug');
});

test('a failed request leaves every slot exactly as it was, silently', async () => {
  const p = page({ fetchFails: true });
  const before = [p.hero.textContent, p.more.textContent];
  boot(p.win);
  await tick();
  assert.deepEqual([p.hero.textContent, p.more.textContent], before);
  assert.deepEqual(p.logs, []);
});

test('data-debug logs why the defaults stayed', async () => {
  const p = page({ fetchFails: true, script: { 'data-debug': '' } });
  boot(p.win);
  await tick();
  assert.equal(p.logs.length, 1);
  assert.equal(p.logs[0][0], '[pertinent]');
});

test('calls queued by the stub before the snippet loaded are replayed in order', async () => {
  const stub = function () { (stub.q = stub.q || []).push(arguments); };
  stub('consent', true);
  stub('convert', { value: 30 });
  const p = page({ answer: ANSWER, stub, script: { 'data-require-consent': '' } });
  const api = boot(p.win);
  assert.equal(p.win.pertinent, api);
  await tick();
  assert.match(p.requests[0][1].visitor_id, /^[0-9a-f]{32}$/, 'consent given through the stub counts');
  hidePage(p);
  const types = p.beacons[0][1].events.map((e) => e.type);
  assert.deepEqual(types, ['conversion', 'view', 'dwell']);
  assert.equal(p.beacons[0][1].events[0].value, 30);
});

test('without consent where it is required: no id, no events, decisions on page context only', async () => {
  const p = page({ answer: ANSWER, script: { 'data-require-consent': '' } });
  boot(p.win);
  await tick();
  const body = p.requests[0][1];
  assert.equal(body.visitor_id, undefined);
  assert.equal(body.context.consent, false);
  assert.equal(p.hero.textContent, 'Variant 13', 'still personalized by context');
  hidePage(p);
  assert.equal(p.beacons.length, 0);
  assert.equal(p.win.localStorage.getItem('pertinent_vid'), null);
  assert.equal(p.doc.cookie, '');
});

test('the global is defined only once: a second copy of the tag does nothing', async () => {
  const p = page({ answer: ANSWER });
  const api = boot(p.win);
  assert.equal(boot(p.win), api);
  await tick();
  assert.equal(p.requests.length, 1);
});

test('clicks in a slot become click events with the decision id, slot and item', async () => {
  const p = page({ answer: ANSWER });
  boot(p.win);
  await tick();
  const link = p.more.querySelectorAll('li[data-pertinent-content-id]')[1].childNodes[0];
  p.doc.dispatchEvent({ type: 'click', target: link });
  p.doc.dispatchEvent({ type: 'click', target: p.doc.body });
  p.win.pertinent('convert', { slot: 'hero', value: 5 });
  hidePage(p);
  const events = p.beacons[0][1].events;
  const click = events.find((e) => e.type === 'click');
  assert.deepEqual([click.slot, click.decision_id, click.arm, click.content_id], ['more', 'dec-1', 'model', '2']);
  assert.equal(events.filter((e) => e.type === 'click').length, 1, 'clicks outside slots are not tracked');
  const conv = events.find((e) => e.type === 'conversion');
  assert.deepEqual([conv.slot, conv.decision_id, conv.content_id, conv.value], ['hero', 'dec-1', '13', 5]);
});

test('single-page navigation sends the dwell, a new view, and decides for new slots', async () => {
  const p = page({ answer: ANSWER });
  boot(p.win);
  await tick();
  const next = el(p.doc, 'div', { 'data-pertinent-slot': 'more' }, ['next default']);
  p.doc.body.appendChild(next);
  p.win.location.pathname = '/post/8';
  p.win.history.pushState({}, '', '/post/8');
  assert.deepEqual(p.beacons[0][1].events.map((e) => e.type), ['view', 'dwell']);
  await tick(5);
  assert.equal(p.requests.length, 2);
  assert.deepEqual(p.requests[1][1].slots.map((s) => s.name), ['more'], 'only the new slot');
  assert.equal(next.textContent, 'OneTwo');
});

test('no null values are sent: absent fields are left out (strict proxies validate types)', async () => {
  const p = page({ answer: ANSWER });
  boot(p.win);
  await tick();
  hidePage(p);
  const hasNull = (o) => o !== null && typeof o === 'object' ? Object.values(o).some(hasNull) : o === null;
  assert.equal(hasNull(p.requests[0][1]), false, JSON.stringify(p.requests[0][1]));
  assert.equal(hasNull(p.beacons[0][1]), false, JSON.stringify(p.beacons[0][1]));
});

test('slots rendered after load (client-side widgets, routers) get their own decision', async () => {
  const p = page({ answer: ANSWER });
  boot(p.win);
  await tick();
  const mo = p.win.observers[0];
  assert.equal(mo.target, p.doc.body);
  assert.deepEqual(mo.opts, { childList: true, subtree: true });
  mo.cb([]);
  assert.equal(p.requests.length, 1, 'a DOM change without new slots asks nothing');
  p.doc.body.appendChild(el(p.doc, 'div', { 'data-pertinent-slot': 'more' }, ['late default']));
  mo.cb([]);
  await tick();
  assert.equal(p.requests.length, 2);
  assert.deepEqual(p.requests[1][1].slots.map((s) => s.name), ['more']);
});


test('server-rendered slots are not decided again: no decide request when every slot is one', async () => {
  const p = serverPage();
  boot(p.win);
  await tick();
  assert.equal(p.requests.length, 0);
  assert.equal(p.hero.textContent, 'Spring sale', 'the markup stays as the server rendered it');
  assert.equal(p.observers.length, 3, 'every server slot is watched for its impression');
  hidePage(p);
  assert.deepEqual(sent(p).map((e) => e.type), ['view', 'dwell'], 'the page view is sent as usual');
});

test('impressions, clicks and conversions of server-rendered slots carry the server decision', async () => {
  const p = serverPage();
  boot(p.win);
  await tick();
  p.see(p.hero);
  p.see(p.recs);
  p.see(p.cta);
  p.doc.dispatchEvent({ type: 'click', target: p.recs.querySelectorAll('a[href]')[1] });
  p.win.pertinent('convert', { value: 9 });
  hidePage(p);
  const events = sent(p);
  const imp = events.filter((e) => e.type === 'impression').map((e) => [e.slot, e.content_id, e.decision_id, e.arm]);
  assert.deepEqual(imp, [
    ['hero', '13', 'srv-1', 'model'],
    ['recs', '4', 'srv-1', 'model'], ['recs', '5', 'srv-1', 'model'], ['recs', '6', 'srv-1', 'model'],
    // The default stayed (control or nothing usable): one impression without an item, as for client slots.
    ['cta', undefined, 'srv-1', 'model'],
  ]);
  const click = events.find((e) => e.type === 'click');
  assert.deepEqual([click.slot, click.content_id, click.decision_id, click.arm], ['recs', '5', 'srv-1', 'model']);
  const conv = events.find((e) => e.type === 'conversion');
  assert.deepEqual([conv.decision_id, conv.arm, conv.value], ['srv-1', 'model', 9], 'joined to the page decision');
  assert.match(click.visitor_id, /^[0-9a-f]{32}$/);
});

test('a page with server and client slots asks only for the client ones', async () => {
  const p = serverPage({ clientSlot: true });
  boot(p.win);
  await tick();
  assert.equal(p.requests.length, 1);
  assert.deepEqual(p.requests[0][1].slots.map((s) => s.name), ['more']);
  p.see(p.hero);
  hidePage(p);
  const hero = sent(p).find((e) => e.type === 'impression' && e.slot === 'hero');
  assert.equal(hero.decision_id, 'srv-1', 'not the client decision');
});

test('a server slot without a decision (the server call failed) is neither decided nor tracked', async () => {
  const p = serverPage({ failed: true });
  boot(p.win);
  await tick();
  assert.equal(p.requests.length, 0);
  assert.equal(p.observers.length, 0);
  p.doc.dispatchEvent({ type: 'click', target: p.hero.childNodes[0] });
  hidePage(p);
  assert.deepEqual(sent(p).map((e) => e.type), ['view', 'dwell']);
});

test('server-rendered slots without consent where it is required: nothing sent, nothing stored', async () => {
  const p = serverPage({ script: { 'data-require-consent': '' } });
  boot(p.win);
  await tick();
  p.see(p.hero);
  p.doc.dispatchEvent({ type: 'click', target: p.recs.querySelectorAll('a[href]')[0] });
  hidePage(p);
  assert.equal(p.requests.length, 0);
  assert.equal(p.beacons.length, 0);
  assert.equal(p.win.localStorage.getItem('pertinent_vid'), null);
  assert.equal(p.doc.cookie, '');
});
