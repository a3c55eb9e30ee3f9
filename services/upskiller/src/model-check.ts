/**
 * Upskilling needs Ollama with both models: the teacher writes candidates,
 * the student answers the cases. Checked before every run, so a hub that
 * starts without Ollama can upskill once it is there.
 */
import { HubError } from '@gemmaedge/shared'
import { OllamaModel } from '@gemmaedge/shared/vision'

export interface ModelCheckOptions {
  host: string
  teacherModel: string
  studentModel: string
  studentTimeoutMs: number
  checkTimeoutMs?: number
}

/** The student, ready. Throws MODEL_UNREACHABLE or MODEL_MISSING saying what to run. */
export async function checkModels (o: ModelCheckOptions): Promise<OllamaModel> {
  const student = new OllamaModel({
    model: o.studentModel,
    host: o.host,
    timeoutMs: o.studentTimeoutMs,
    checkTimeoutMs: o.checkTimeoutMs
  })
  const teacher = new OllamaModel({
    model: o.teacherModel, host: o.host, checkTimeoutMs: o.checkTimeoutMs
  })
  try {
    await student.ready()
    await teacher.ready()
  } catch (err) {
    if (!(err instanceof HubError)) throw err
    const said = /[.?!]$/.test(err.message) ? err.message : `${err.message}.`
    throw new HubError(err.code, `${said} Upskilling needs Ollama with ` +
      `${o.teacherModel} (teacher) and ${o.studentModel} (student): ` +
      `ollama pull ${o.teacherModel} && ollama pull ${o.studentModel}`, { cause: err })
  }
  return student
}
