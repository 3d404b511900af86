export * from './client';
export * from './topics';
export * from './producer';
export * from './consumer';
export * from './failures';
export * from './lag';
