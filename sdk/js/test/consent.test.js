import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setConsent, trackingDisabled, visitorId } from '../src/consent.js';
import { makeStorage } from '../src/storage.js';
import { makeWindow } from './fake-dom.js';

const cfg = (over = {}) => ({ consentRequired: false, respectDnt: false, ...over });

test('without a consent requirement the visitor gets an id on first use, then keeps it', () => {
  const win = makeWindow();
  const store = makeStorage(win);
  const id = visitorId(cfg(), win, store);
  assert.match(id, /^[0-9a-f]{32}$/);
  assert.equal(visitorId(cfg(), win, store), id);
  assert.equal(win.localStorage.getItem('pertinent_vid'), id);
});

test('when consent is required nothing is stored until it is given', () => {
  const win = makeWindow();
  const store = makeStorage(win);
  const c = cfg({ consentRequired: true });
  assert.equal(trackingDisabled(c, win, store), true);
  assert.equal(visitorId(c, win, store), null);
  assert.equal(win.localStorage.getItem('pertinent_vid'), null);
  setConsent(true, store);
  assert.equal(trackingDisabled(c, win, store), false);
  assert.match(visitorId(c, win, store), /^[0-9a-f]{32}$/);
});

test('withdrawing consent forgets the visitor id, even where consent is not required', () => {
  const win = makeWindow();
  const store = makeStorage(win);
  visitorId(cfg(), win, store);
  setConsent(false, store);
  assert.equal(win.localStorage.getItem('pertinent_vid'), null);
  assert.equal(trackingDisabled(cfg(), win, store), true);
  assert.equal(visitorId(cfg(), win, store), null);
});

test('Do-Not-Track and Global Privacy Control are honoured only when configured', () => {
  for (const nav of [{ doNotTrack: '1' }, { globalPrivacyControl: true }]) {
    const win = makeWindow(undefined, { navigator: nav });
    const store = makeStorage(win);
    assert.equal(trackingDisabled(cfg(), win, store), false);
    assert.equal(trackingDisabled(cfg({ respectDnt: true }), win, store), true);
    setConsent(true, store);
    assert.equal(trackingDisabled(cfg({ respectDnt: true }), win, store), true, 'a browser signal beats a banner click');
  }
});
