import { VERSION } from '../core/version.js';

/** The report flags of run and merge. */
const REPORT_OPTIONS = `  -o, --output FILE        write a report in the format of FILE's extension: .json, .xml (JUnit),
                           .html or .md (repeatable: -o report.json -o junit.xml)
      --json FILE          write the JSON report (merge, baselines, grade)
      --junit FILE         write a JUnit XML report
      --html FILE          write a self-contained HTML report
      --markdown FILE      write a Markdown report`;

const COLOR_OPTION = `      --color, --no-color  force colours on or off (default: on for a terminal, NO_COLOR honoured)`;

const HELP_OPTION = `  -h, --help               this help`;

/** The baseline flags of run and grade (docs/baselines.md). */
const BASELINE_OPTIONS = `      --baseline FILE      compare with this JSON report (the base branch's) and gate on drops
      --fail-on-regression P  significant (default): a significant drop fails; any: any drop; off: none
      --alpha X            significance level of the comparison and the runs hint, in (0, 0.5] (default 0.05)
      --pass-k K           k of pass^k for every scenario (default: its runs per prompt and voice, at most 8)`;

const RUN_OPTIONS = `  -c, --config FILE        config file (default: russo.config.yaml in the working directory)
  -n, --runs N             runs per prompt and voice, for every scenario (also --repeat)
  -j, --max-concurrency N  runs in flight at once, across the suite (also --concurrency)
      --min-pass-rate X    pass rate (0..1) the whole suite must reach
      --shard I/N          run shard I of N (CI matrix); russo merge joins the shards' JSON reports
${BASELINE_OPTIONS}
${REPORT_OPTIONS}
      --no-cache           neither read nor write the disk audio cache (.russo/cache)
${COLOR_OPTION}
  -q, --quiet              no progress output
${HELP_OPTION}`;

const RUN_EXIT_CODES = `Exit codes: 0 every gate held · 1 a gate failed (pass rate, regression, errors) · 2 bad input ·
            3 every gate held but a report could not be written`;

const PATHS = `With no paths, russo runs the config's \`scenarios\` globs (default scenarios/**/*.yaml).`;

/** The help text of the CLI. */
export const USAGE = `russo ${VERSION}: regression tests for voice agents

Usage:
  russo run [paths or globs…] [options]    speak every scenario, play it to the agent, grade its tool calls
  russo validate [paths or globs…] [-c F]  check scenario and config files without running anything
  russo merge <report.json…> [options]     combine the JSON reports of shards into one report
  russo compare <old.json> <new.json>      what changed against a baseline report, and whether it is significant
                [--alpha 0.05] [--fail-on-regression significant|any|off] [--json FILE]
  russo grade <report.json> [paths…]       grade a report's recorded answers again with the current scenario
                                           files: nothing is spoken, no agent is started

Options of run:
${RUN_OPTIONS}

${RUN_EXIT_CODES}
${PATHS}
Each command's own help: russo <command> --help`;

/** Each command's own help, for `russo <command> --help`. */
export const COMMAND_USAGE = {
  run: `Usage: russo run [paths or globs…] [options]

Speaks every scenario, plays it to the agent, grades its tool calls, prints the table and the
verdict, and writes the reports asked for.

Options:
${RUN_OPTIONS}

${RUN_EXIT_CODES}
${PATHS}`,

  validate: `Usage: russo validate [paths or globs…] [options]

Loads and checks every scenario and the config, and runs nothing.

Options:
  -c, --config FILE        config file (default: russo.config.yaml in the working directory)
  -n, --runs N             check the suite's total runs against its limits with N runs per prompt and voice
${HELP_OPTION}

Exit codes: 0 every file is valid · 2 a problem (each one named by file, line and fix)
${PATHS}`,

  merge: `Usage: russo merge <report.json…> [options]

Combines the JSON reports of shards (russo run --json) into one result, judges the gate again,
prints the table and the verdict, and writes the reports asked for.

Options:
${REPORT_OPTIONS}
${COLOR_OPTION}
${HELP_OPTION}

${RUN_EXIT_CODES}`,

  grade: `Usage: russo grade <report.json> [paths or globs…] [options]

Grades the agent answers recorded in a JSON report again with the current scenario files (all of
the config's, or the paths given): nothing is spoken, no agent is started. Runs whose prompt, turns
or mocked tool results changed, or whose reply checks need the judge, are listed as not replayable.

Options:
  -c, --config FILE        config file (default: russo.config.yaml in the working directory)
      --min-pass-rate X    pass rate (0..1) the whole suite must reach
${BASELINE_OPTIONS}
${REPORT_OPTIONS}
${COLOR_OPTION}
${HELP_OPTION}

${RUN_EXIT_CODES}`,

  compare: `Usage: russo compare <old.json> <new.json> [options]

Compares a report with a baseline report (both written by russo run --json) and runs nothing.

Options:
      --alpha X            significance level, in (0, 0.5] (default 0.05)
      --fail-on-regression P
                           significant (default): fail on a significant drop; any: on any drop; off: never
      --json FILE          write the comparison as JSON
${COLOR_OPTION}
${HELP_OPTION}

Exit codes: 0 no scenario regressed · 1 one did (per --fail-on-regression) · 2 bad input ·
            3 --json could not be written`,
} as const;
