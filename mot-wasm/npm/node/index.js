// Node entry: the same glue and the same .wasm as the browser, instantiated
// synchronously from the file next to it.
import { readFileSync } from 'node:fs';
import { initSync } from '../web/mot_wasm.js';

initSync({ module: readFileSync(new URL('../web/mot_wasm_bg.wasm', import.meta.url)) });
export * from '../web/mot_wasm.js';
