/**
 * The vision models, for Node services only (the detector loads WASM and
 * native image code): `createVisionModel` picks Ollama or the embedded
 * detector; the backends, the answer parser, the answer schema and the
 * built-in prompts are exported for services and tests.
 */
export * from './types.ts'
export * from './answer-parser.ts'
export * from './answer-schema.ts'
export * from './prompts.ts'
export {
  OllamaModel, sameModel,
  DEFAULT_OLLAMA_HOST, DEFAULT_TIMEOUT_MS, DEFAULT_CHECK_TIMEOUT_MS,
  type OllamaModelOptions
} from './ollama-model.ts'
export {
  DetectorModel, profileFor,
  type DetectorProfile, type DetectorModelOptions
} from './detector-model.ts'
export {
  summarise, HAZARD_CLASSES, EMPTY_CONFIDENCE,
  type Detection, type DetectionSummary
} from './detection-summary.ts'
export {
  createVisionModel, DEFAULT_MODELS,
  type BackendChoice, type CreateVisionModelOptions
} from './create-vision-model.ts'
