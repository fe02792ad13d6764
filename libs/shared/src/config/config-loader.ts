import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';

/** Start-up refuses a missing or invalid variable, naming it (STYLE.md rule 14). */
export class ConfigValidationError extends Error {
  constructor(readonly problems: Array<{ variable: string; message: string }>) {
    super(
      `Invalid configuration:\n${problems.map((p) => `  - ${p.variable}: ${p.message}`).join('\n')}`,
    );
    this.name = 'ConfigValidationError';
  }
}

function flatten(errors: ValidationError[]): Array<{ variable: string; message: string }> {
  return errors.flatMap((e) =>
    e.value === undefined
      ? [{ variable: e.property, message: `${e.property} is required` }]
      : Object.values(e.constraints ?? {}).map((message) => ({ variable: e.property, message })),
  );
}

/**
 * Reads `env` into the schema class: strings are converted by the `@Type`/`@Transform`
 * decorators of the schema, defaults come from property initialisers, unknown variables
 * are ignored.
 */
export function loadConfig<T extends object>(schema: new () => T, env: NodeJS.ProcessEnv = process.env): T {
  const defined = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const config = plainToInstance(schema, defined, { exposeDefaultValues: true });
  const errors = validateSync(config, { skipMissingProperties: false, whitelist: false });
  if (errors.length) throw new ConfigValidationError(flatten(errors));
  return config;
}
