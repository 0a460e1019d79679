// main.js — the bundle's entry: the signing library as globalThis.itaku for
// the portal's pages (which carry no inline script: CSP script-src 'self').
import * as portal from './portal.js';

globalThis.itaku = Object.freeze({ ...portal });
