// The Action's entry point (bundled to dist/index.js): it only starts run().
import { run } from './main.js';

void run();
