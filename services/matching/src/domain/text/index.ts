export * from './normalise';
export { stem } from './stemmer';
