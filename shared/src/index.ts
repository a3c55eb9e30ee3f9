/**
 * What both Node services and the browser dashboard use: topics, payload
 * schemas, confidence parsing and error classes. Nothing here touches Node's
 * built-ins or runs anything on import.
 */
export * from './topics.ts'
export * from './schemas.ts'
export * from './confidence.ts'
export * from './errors.ts'
export * from './verdict.ts'
export * from './skill-payload.ts'
