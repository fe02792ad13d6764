import { loadConfig, randomKeyBase64 } from '@meridian/shared';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SegmentationConfig } from '../config/segmentation.config';

const ROOT = path.resolve(__dirname, '../../../..');
const SAMPLE = path.join(ROOT, 'apps/segmentation/data/churn-sample.jsonl');

/**
 * The command as a bank runs it, without its build step (`npm test` built everything first): the
 * build, even an Nx cache hit, rewrites the libraries' dist while other suites start services
 * from it — a service once found `libs/events/dist` half restored and failed to start (CI).
 */
function trainChurn(...args: string[]) {
  const main = path.join(ROOT, 'dist/apps/segmentation/churn-training/main.js');
  const run = spawnSync(process.execPath, [main, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false' }, timeout: 170_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('npm run train:churn', () => {
  it('refits the shipped sample: exit 0, held-out AUC well above chance for both models, env lines segmentation accepts', () => {
    const { code, stdout, stderr } = trainChurn('--input', SAMPLE);
    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain(`rows read: ${readFileSync(SAMPLE, 'utf8').trim().split('\n').length}`);
    expect(stdout).toMatch(/^train \/ test: \d+ \/ \d+/m);
    expect(stdout).toMatch(/^churn rate: [\d.]+ %/m);
    const auc = (which: string) => Number(new RegExp(`^held-out AUC, ${which} weights: +([\\d.]+)`, 'm').exec(stdout)?.[1]);
    expect(auc('refitted')).toBeGreaterThan(0.75);
    expect(auc('default')).toBeGreaterThan(0.6);
    const env = Object.fromEntries(stdout.split('\n').filter((l) => l.startsWith('SEGMENT_CHURN_')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    expect(Object.keys(env).sort()).toEqual(['SEGMENT_CHURN_INTERCEPT', 'SEGMENT_CHURN_WEIGHTS']);
    const base = { JWT_SECRET: 'test-secret-test-secret-test-secret-42', MONGODB_URI: 'mongodb://x', KAFKA_BROKERS: 'x:1', REDIS_URL: 'redis://x', FIELD_ENCRYPTION_MASTER_KEY: randomKeyBase64(), BLIND_INDEX_KEY: randomKeyBase64() };
    expect(loadConfig(SegmentationConfig, { ...base, ...env }).churnModel.intercept).toBe(Number(env.SEGMENT_CHURN_INTERCEPT));
  });

  it('exits non-zero naming the line and field of a bad row', () => {
    const lines = readFileSync(SAMPLE, 'utf8').split('\n').slice(0, 5);
    lines[3] = lines[3].replace(/"complaints90d":\d+/, '"complaints90d":-2');
    const broken = path.join(mkdtempSync(path.join(tmpdir(), 'train-churn-')), 'broken.jsonl');
    writeFileSync(broken, lines.join('\n'));
    const { code, stdout, stderr } = trainChurn('--input', broken);
    expect(code).toBe(1);
    expect(stderr).toContain('line 4: features.complaints90d must not be less than 0');
    expect(stdout).not.toContain('SEGMENT_CHURN_');
  });

  it('exits 2 with the usage when --input is missing', () => {
    const { code, stderr } = trainChurn();
    expect(code).toBe(2);
    expect(stderr).toContain('usage: npm run train:churn -- --input <file.jsonl>');
  });
});
