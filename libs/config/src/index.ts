export * from './config';
export * from './engines.config';
