/**
 * What only Node services use: config, logging, the broker connection and
 * the process lifecycle.
 */
export * from './config.ts'
export * from './logger.ts'
export * from './mqtt-connect.ts'
export * from './service.ts'
export * from './config-fields.ts'
