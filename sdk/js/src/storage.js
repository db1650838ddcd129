// First-party storage that never throws: localStorage, then a cookie, then memory (all may be blocked).
// Values are ids and flags, so nothing needs encoding.
export function makeStorage(win) {
  const mem = {};
  return {
    get(k) {
      try {
        const v = win.localStorage.getItem(k);
        if (v != null) return v;
      } catch (e) { /* blocked: try the cookie */ }
      try {
        const m = win.document.cookie.match('(^|; )' + k + '=([^;]*)');
        if (m) return m[2];
      } catch (e) { /* blocked too */ }
      return mem[k];
    },
    // Setting null removes the key.
    set(k, v) {
      mem[k] = v;
      try {
        return v == null ? win.localStorage.removeItem(k) : win.localStorage.setItem(k, v);
      } catch (e) { /* fall back to a cookie */ }
      try {
        const age = v == null ? 0 : 31536000;
        win.document.cookie = k + '=' + (v ?? '') + ';max-age=' + age + ';path=/;SameSite=Lax';
      } catch (e) { /* memory only */ }
    },
  };
}

// A tab's session id lives in sessionStorage, so it ends with the tab; per page when that is blocked.
export function sessionId(win) {
  const k = 'pertinent_sid';
  try {
    const s = win.sessionStorage;
    if (!s.getItem(k)) s.setItem(k, randomId(win));
    return s.getItem(k);
  } catch (e) {
    return (win.__pertinentSid = win.__pertinentSid || randomId(win));
  }
}

// 128 random bits as hex; getRandomValues works on plain http too (randomUUID does not).
export function randomId(win) {
  const bytes = win.crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (x) => (x + 256).toString(16).slice(1)).join('');
}
