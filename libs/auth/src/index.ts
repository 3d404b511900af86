export * from './principal';
export * from './jwt';
export * from './dev-keys';
export * from './auth.middleware';
