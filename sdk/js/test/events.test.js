import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeQueue, watchImpression } from '../src/events.js';
import { makeWindow } from './fake-dom.js';

const cfg = { endpoint: 'https://sidecar.example/v1', key: 'pk' };
const who = () => ({ visitor_id: 'v1', session_id: 's1' });

test('events are batched into one beacon with a plain-text JSON body', () => {
  const beacons = [];
  const win = makeWindow(undefined, { navigator: { sendBeacon: (url, body) => beacons.push([url, body]) } });
  const q = makeQueue(cfg, win, who);
  q.push({ type: 'view', content_id: '7' });
  q.push({ type: 'click', slot: 'hero', decision_id: 'd1', content_id: '13' });
  assert.equal(beacons.length, 0, 'nothing is sent until the page asks');
  q.send();
  q.send();
  assert.equal(beacons.length, 1, 'an empty queue sends nothing');
  const [url, body] = beacons[0];
  assert.equal(url, 'https://sidecar.example/v1/events?key=pk');
  assert.equal(typeof body, 'string');
  const { events } = JSON.parse(body);
  assert.deepEqual(events.map((e) => [e.type, e.visitor_id, e.session_id, e.decision_id]),
    [['view', 'v1', 's1', undefined], ['click', 'v1', 's1', 'd1']]);
  assert.ok(Math.abs(events[0].timestamp - Date.now() / 1000) < 5, 'epoch seconds');
});

test('a full batch is sent without waiting', () => {
  let sent = 0;
  const win = makeWindow(undefined, { navigator: { sendBeacon: () => ++sent } });
  const q = makeQueue(cfg, win, who);
  for (let i = 0; i < 20; i++) q.push({ type: 'impression' });
  assert.equal(sent, 1);
});

test('without sendBeacon (or when it refuses) events go by fetch with keepalive', () => {
  for (const navigator of [{}, { sendBeacon: () => false }]) {
    const calls = [];
    const win = makeWindow(undefined, { navigator, fetch: (url, init) => (calls.push([url, init]), Promise.resolve()) });
    const q = makeQueue(cfg, win, who);
    q.push({ type: 'view' });
    q.send();
    assert.equal(calls.length, 1);
    assert.equal(calls[0][1].keepalive, true);
    assert.equal(typeof calls[0][1].body, 'string');
  }
});

test('nothing is queued while tracking is disabled', () => {
  let sent = 0;
  const win = makeWindow(undefined, { navigator: { sendBeacon: () => ++sent } });
  const q = makeQueue(cfg, win, () => null);
  q.push({ type: 'view' });
  q.send();
  assert.equal(sent, 0);
});

test('an impression needs the slot half visible for a second', async () => {
  let observer;
  class FakeObserver {
    constructor(cb, opts) { this.cb = cb; this.opts = opts; observer = this; }
    observe() {}
    disconnect() { this.gone = true; }
  }
  const timers = [];
  const win = makeWindow(undefined, {
    IntersectionObserver: FakeObserver,
    setTimeout: (fn, ms) => timers.push({ fn, ms }) ,
    clearTimeout: (id) => { timers[id - 1].cancelled = true; },
  });
  let fired = 0;
  watchImpression(win, {}, () => fired++);
  assert.equal(observer.opts.threshold, 0.5);
  observer.cb([{ intersectionRatio: 0.6 }]);
  observer.cb([{ intersectionRatio: 0.2 }]);
  assert.equal(timers[0].cancelled, true, 'scrolled away before a second: no impression');
  observer.cb([{ intersectionRatio: 0.9 }]);
  assert.equal(timers[1].ms, 1000);
  timers[1].fn();
  assert.equal(fired, 1);
  assert.equal(observer.gone, true, 'counted once');
});

test('without an endpoint nothing is queued or sent anywhere', () => {
  let sent = 0;
  const win = makeWindow(undefined, { navigator: { sendBeacon: () => ++sent } });
  const q = makeQueue({ endpoint: '' }, win, who);
  q.push({ type: 'view' });
  q.send();
  assert.equal(sent, 0);
});
