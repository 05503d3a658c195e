// The same API in every environment: the module is initialised on import.
export * from './web/mot_wasm.js';
