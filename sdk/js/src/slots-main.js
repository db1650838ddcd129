// The slots part's browser entry, last in its bundle (tests import slots.js and register on a fake window).
import { register } from './slots.js';

try {
  register(window);
} catch (e) { /* leave the page exactly as it was */ }
