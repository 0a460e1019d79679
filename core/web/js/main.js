// main.js — the bundle's entry: the signing library as globalThis.itaku, and
// the portal's pages wired once they are parsed (they carry no inline
// script: CSP script-src 'self').
import * as portal from './portal.js';
import { wire } from './page.js';

globalThis.itaku = Object.freeze({ ...portal });
if (typeof document !== 'undefined') {
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => wire(document));
  else wire(document);
}
