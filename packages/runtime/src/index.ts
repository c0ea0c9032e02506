// The core of apigen-runtime: the contract as data, values, the JSON codec,
// validation, errors, the call context, the publisher and the dispatcher.
// Browser-safe: nothing here imports a Node API or a transport library; each
// style lives behind its own entry point (`apigen-runtime/rest/server`, ...).
export * from './values.js';
export * from './descriptor.js';
export * from './errors.js';
export * from './context.js';
export * from './limits.js';
export * from './events.js';
export * from './dispatch.js';
export * from './validate.js';
export * from './json.js';
export * from './version.js';
