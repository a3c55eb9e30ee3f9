/**
 * The teacher's verdict logic, borrowed from the teacher-reviewer so the
 * eval judges answers exactly as reviews do. It is pure and imports only
 * shared types.
 */
// Limitation: services should not import each other; this module belongs in
// shared (e.g. `@gemmaedge/shared/verdict`). When it moves, change this line.
export { judgeVerdict, termOf, type Judged } from '../../../teacher-reviewer/src/verdict.ts'
