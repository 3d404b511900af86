export * from './registered.metrics';
