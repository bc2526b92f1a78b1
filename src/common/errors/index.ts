export * from './domain-errors';
export { httpAnswerOf, wordingOf } from './http-mapping';
