// The every-page part's browser entry, last in its bundle (tests import tracker.js and boot a fake window).
import { boot } from './tracker.js';

try {
  boot(window);
} catch (e) { /* leave the page exactly as it was */ }
