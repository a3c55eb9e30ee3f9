/**
 * One interface for every vision model the hub runs: a language model served
 * by Ollama, or the embedded detector. The edge sensor runs one as the
 * student, the teacher-reviewer runs one as the teacher.
 */

/** One frame to describe. */
export interface DescribeRequest {
  /**
   * JPEG or PNG bytes. Absent for a text-only request (an eval case that
   * tells the scene in words); a backend that needs an image refuses it.
   */
  image?: Uint8Array
  /** The skill: the system prompt the model answers under. */
  systemPrompt: string
  /** The user turn; a backend has a sensible default. */
  prompt?: string
  /** Deadline for this call; the backend's own default when absent. */
  timeoutMs?: number
}

/** What a model said about a frame. */
export interface VisionAnswer {
  /** What answered, e.g. `gemma4:e2b` or `human-detector/fast`. */
  model: string
  answer: string
  /** 0..1, or null when the model gave none that could be read. */
  confidence: number | null
  safety: boolean
  hazards: string[]
  /** Things named in the frame, lower case, singular. */
  objects: string[]
  latencyMs: number
}

export type BackendKind = 'ollama' | 'detector'

export interface VisionModel {
  readonly kind: BackendKind
  /** The model name as it appears in payloads. */
  readonly name: string
  describe (request: DescribeRequest): Promise<VisionAnswer>
  close (): Promise<void>
}

/** Which end a model serves: the detector has a profile for each. */
export type ModelRole = 'student' | 'teacher'
