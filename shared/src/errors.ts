/**
 * Error with a stable `code`, so callers and tests can branch on the kind of
 * failure without matching on the wording of the message.
 */
export class HubError extends Error {
  readonly code: string

  constructor (code: string, message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'HubError'
    this.code = code
  }
}

/** Codes used across the services. */
export const ErrorCodes = {
  /** Configuration from the environment or flags did not validate. */
  CONFIG_INVALID: 'CONFIG_INVALID',
  /** The model server did not answer, or answered with an HTTP error. */
  MODEL_UNREACHABLE: 'MODEL_UNREACHABLE',
  /** The model server answers but does not have the model pulled. */
  MODEL_MISSING: 'MODEL_MISSING',
  /** A model call ran past its deadline. */
  MODEL_TIMEOUT: 'MODEL_TIMEOUT',
  /** The model answered with something that could not be parsed. */
  MODEL_BAD_ANSWER: 'MODEL_BAD_ANSWER',
  /** A frame source could not produce frames (no files, no camera). */
  SOURCE_UNAVAILABLE: 'SOURCE_UNAVAILABLE',
  /** `--help` was asked for: the message is the help text, not a failure. */
  HELP_REQUESTED: 'HELP_REQUESTED',
  /** An image could not be decoded, or a model that needs one got none. */
  IMAGE_INVALID: 'IMAGE_INVALID',
  /** A server could not bind its port (in use, or not allowed). */
  LISTEN_FAILED: 'LISTEN_FAILED',
  /** The MQTT broker did not accept a connection in time. */
  BROKER_UNREACHABLE: 'BROKER_UNREACHABLE',
  /** An eval case file could not be read or holds a bad line. */
  CASES_INVALID: 'CASES_INVALID',
  /** No stored skill has the version asked for. */
  SKILL_UNKNOWN: 'SKILL_UNKNOWN',
  /** An upskilling run was refused (one is going, or it cannot run). */
  UPSKILL_REFUSED: 'UPSKILL_REFUSED'
} as const

export type ErrorCode = typeof ErrorCodes[keyof typeof ErrorCodes]

