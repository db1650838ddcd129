// The browser entry, last in the bundle (tests import index.js and boot a fake window instead).
import { boot } from './index.js';

try {
  boot(window);
} catch (e) { /* leave the page exactly as it was */ }
