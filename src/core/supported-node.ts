// The first import of the library's entry points (index.ts, vitest.ts), so that it runs before any
// other module of russo: on an older Node, importing russo fails here with one line that names the
// version needed, instead of failing somewhere inside. A library throws rather than exits: the
// program that imports russo decides what to do (Node prints the line and exits 1 if it does not).
import { RussoError } from './errors.js';
import { nodeVersionProblem } from './node-version.js';

const problem = nodeVersionProblem();
if (problem !== undefined) throw new RussoError(problem.message, problem.hint);
