// Browser entry: fetch and instantiate the module (streaming), then re-export
// the API. Top-level await: native ESM in browsers; bundlers need es2022.
// Without top-level await, import "mot-wasm/init" and call its default export.
import init from './mot_wasm.js';
await init({ module_or_path: new URL('./mot_wasm_bg.wasm', import.meta.url) });
export * from './mot_wasm.js';
