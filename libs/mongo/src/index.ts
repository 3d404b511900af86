export * from './busy.retry';
export * from './connection';
export * from './document.locks';
export * from './partitioned.collection';
export * from './pending.writes';
export * from './insert.confirmation';
export * from './layout.migrations';
