export * from './zod';
export * from './taxonomy';
export * from './envelope.schema';
export * from './topics';
export * from './organisation.schema';
export * from './organisation-events.schema';
export * from './openapi';
export * from './asyncapi';
