/**
 * The structured answer a language model is asked for, as a zod schema, and
 * the JSON schema made from it that goes in Ollama's `format` field.
 */
import { z } from 'zod'
import { HubError, ErrorCodes } from '../errors.ts'

/** What a model is asked to answer with; the parser also reads looser text. */
export const StructuredAnswerSchema = z.object({
  answer: z.string()
    .describe('One or two factual sentences on what the frame shows'),
  confidence: z.number()
    .describe('How sure the answer is, from 0 (guess) to 1 (certain)'),
  safety: z.boolean()
    .describe('True when the frame shows a safety hazard'),
  hazards: z.array(z.string())
    .describe('Hazards seen, lower case, e.g. fire, smoke, knife'),
  objects: z.array(z.string())
    .describe('People and things seen, lower case, singular')
})
export type StructuredAnswer = z.infer<typeof StructuredAnswerSchema>

/** A JSON schema for an object, as Ollama's structured output takes it. */
export type JsonObjectSchema = Record<string, unknown> & {
  type: 'object'
  properties: Record<string, unknown>
}

/**
 * Make the `format` JSON schema from a zod object schema. Throws
 * CONFIG_INVALID when the result has no properties: Ollama would accept it
 * and then constrain the model to `{}`, which reads as an empty answer.
 */
export function toFormatSchema (
  schema: z.ZodType = StructuredAnswerSchema
): JsonObjectSchema {
  const json: Record<string, unknown> = { ...z.toJSONSchema(schema) }
  // Ollama's grammar builder has no use for the meta-schema URL.
  delete json.$schema

  const props = json.properties
  const hasProps = json.type === 'object' && typeof props === 'object' &&
    props !== null && Object.keys(props).length > 0
  if (!hasProps) {
    throw new HubError(ErrorCodes.CONFIG_INVALID,
      'answer schema gives a JSON schema without properties ' +
      `(type ${String(json.type)}); pass a z.object() with at least one field`)
  }
  return json as JsonObjectSchema
}
