/**
 * `npm run train:churn -- --input history.jsonl [--test-share 0.25] [--seed meridian] [--steps 1000]`
 * (DOMAIN.md: churn risk): refits the churn weights from labelled history, prints the
 * held-out AUC of the refitted and the default weights, and the env lines to paste. Exits 1
 * naming the line and field of a bad row, or what else is wrong; 2 on bad flags.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseChurnTrainingRows } from './domain/churn-training-row';
import { churnTrainingReport } from './domain/churn-training-report';
import { ChurnTrainingOptions, DEFAULT_CHURN_TRAINING, trainChurnModel } from './domain/train-churn-model';

const USAGE = 'usage: npm run train:churn -- --input <file.jsonl> [--test-share 0.25] [--seed meridian] [--steps 1000]';

function options(argv: string[]): { input: string } & ChurnTrainingOptions {
  const { values } = parseArgs({ args: argv, options: { input: { type: 'string' }, 'test-share': { type: 'string' }, seed: { type: 'string' }, steps: { type: 'string' } } });
  if (!values.input) throw new Error('--input <file.jsonl> is required');
  const testShare = values['test-share'] === undefined ? DEFAULT_CHURN_TRAINING.testShare : Number(values['test-share']);
  if (!(testShare > 0 && testShare < 1)) throw new Error(`--test-share must be a number between 0 and 1, got "${values['test-share']}"`);
  const steps = values.steps === undefined ? DEFAULT_CHURN_TRAINING.steps : Number(values.steps);
  if (!Number.isInteger(steps) || steps < 1 || steps > 1_000_000) throw new Error(`--steps must be a whole number from 1 to 1000000, got "${values.steps}"`);
  return { input: values.input, testShare, steps, seed: values.seed ?? DEFAULT_CHURN_TRAINING.seed };
}

function main(argv: string[]): number {
  let flags: ReturnType<typeof options>;
  try {
    flags = options(argv);
  } catch (error) {
    process.stderr.write(`train:churn: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  try {
    const rows = parseChurnTrainingRows(readFileSync(flags.input, 'utf8'));
    process.stdout.write(`${churnTrainingReport(trainChurnModel(rows, flags), flags).join('\n')}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`train:churn: ${flags.input}: ${(error as Error).message}\n`);
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
