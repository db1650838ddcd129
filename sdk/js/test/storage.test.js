import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeStorage, randomId, sessionId } from '../src/storage.js';
import { blockedStorageArea, makeWindow } from './fake-dom.js';

test('values go to localStorage and a first-party cookie, so the server sees the same visitor', () => {
  const win = makeWindow();
  const store = makeStorage(win);
  store.set('pertinent_vid', 'abc');
  assert.equal(win.localStorage.getItem('pertinent_vid'), 'abc');
  assert.match(win.document.cookie, /pertinent_vid=abc/);
  assert.equal(store.get('pertinent_vid'), 'abc');
  store.set('pertinent_vid', null);
  assert.equal(store.get('pertinent_vid'), null);
  assert.equal(win.localStorage.getItem('pertinent_vid'), null);
  assert.doesNotMatch(win.document.cookie, /pertinent_vid/);
});

test('a cookie the server set wins over an older localStorage value', () => {
  const win = makeWindow();
  win.localStorage.setItem('pertinent_vid', 'from-an-earlier-visit');
  win.document.cookie = 'pertinent_vid=from-the-server;path=/';
  assert.equal(makeStorage(win).get('pertinent_vid'), 'from-the-server');
});

test('a blocked localStorage falls back to a first-party cookie', () => {
  const win = makeWindow();
  win.localStorage = blockedStorageArea();
  const store = makeStorage(win);
  store.set('pertinent_vid', 'abc');
  assert.match(win.document.cookie, /pertinent_vid=abc/);
  assert.equal(makeStorage(win).get('pertinent_vid'), 'abc', 'a fresh page reads it back');
  store.set('pertinent_vid', null);
  assert.doesNotMatch(win.document.cookie, /pertinent_vid/);
});

test('storage access never throws, even with everything blocked', () => {
  const win = makeWindow();
  win.localStorage = blockedStorageArea();
  win.sessionStorage = blockedStorageArea();
  Object.defineProperty(win.document, 'cookie', { get() { throw new Error('blocked'); }, set() { throw new Error('blocked'); } });
  const store = makeStorage(win);
  assert.doesNotThrow(() => store.set('pertinent_consent', '0'));
  assert.equal(store.get('pertinent_consent'), '0', 'kept in memory for this page');
  const sid = sessionId(win);
  assert.equal(sessionId(win), sid, 'one session id per page when sessionStorage is blocked');
});

test('the session id lasts for the tab', () => {
  const win = makeWindow();
  const sid = sessionId(win);
  assert.match(sid, /^[0-9a-f]{32}$/);
  assert.equal(sessionId(win), sid);
  assert.equal(win.sessionStorage.getItem('pertinent_sid'), sid);
});

test('random ids are 128 bits of hex and differ', () => {
  const win = makeWindow();
  const ids = new Set(Array.from({ length: 100 }, () => randomId(win)));
  assert.equal(ids.size, 100);
  for (const id of ids) assert.match(id, /^[0-9a-f]{32}$/);
});
