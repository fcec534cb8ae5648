/** The clinical documentation area's payloads (chart, notes, templates, treatment plans). */
export * from './codes';
export * from './templates';
export * from './notes';
export * from './chart';
export * from './plans';
export * from './supervision';
