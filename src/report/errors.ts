import { RussoError } from '../core/errors.js';

/** A JSON report that cannot be read or merged (not JSON, another version, reports that do not belong together). */
export class ReportError extends RussoError {}
