// First-party storage that never throws: a cookie and localStorage kept in step, then memory (all may be blocked).
// Values are ids and flags, so nothing needs encoding.

// What fn returns, or undefined when it throws (blocked storage, a missing API, a malformed URL).
export function attempt(fn) {
  try {
    return fn();
  } catch (e) { /* undefined */ }
}

export function makeStorage(win) {
  const mem = {};
  return {
    // The cookie first: on WordPress the server may have set it (server render mode, a consent banner),
    // and what the server decided with is what events must carry.
    get: (k) => attempt(() => win.document.cookie.match('(^|; )' + k + '=([^;]*)')[2])
      ?? attempt(() => win.localStorage.getItem(k))
      ?? mem[k],
    // Written to both, so the server sees the same visitor id and consent; null removes the key.
    set(k, v) {
      mem[k] = v;
      attempt(() => (v == null ? win.localStorage.removeItem(k) : win.localStorage.setItem(k, v)));
      attempt(() => (win.document.cookie = k + '=' + (v == null ? ';max-age=0' : v + ';max-age=31536000')
        + ';path=/;SameSite=Lax'));
    },
  };
}

// A tab's session id lives in sessionStorage, so it ends with the tab; per page when that is blocked.
export function sessionId(win) {
  const k = 'pertinent_sid';
  return attempt(() => {
    const s = win.sessionStorage;
    let v = s.getItem(k);
    if (!v) s.setItem(k, (v = randomId(win)));
    return v;
  }) || (win.__pertinentSid = win.__pertinentSid || randomId(win));
}

// 128 random bits as hex; getRandomValues works on plain http too (randomUUID does not).
export function randomId(win) {
  const bytes = win.crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (x) => (x + 256).toString(16).slice(1)).join('');
}
