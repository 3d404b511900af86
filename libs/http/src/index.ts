export * from './app.factory';
export * from './error.handler';
export * from './validation';
export * from './if-match';
export * from './metrics';
export * from './server';
export * from './rate-limit';
export * from './security';
