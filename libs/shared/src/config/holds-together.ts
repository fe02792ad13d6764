import { ValidateBy } from 'class-validator';

/**
 * A check of a configuration's numbers as a whole (thresholds falling, targets ordered…),
 * put on one variable so that it runs once and its message names the rules: valid when
 * `problems` finds none. While a variable does not parse, `problems` may throw — that
 * variable's own validator names it, so this one stays quiet.
 */
export const HoldsTogether = <C>(name: string, what: string, problems: (config: C) => string[]) => {
  const found = (config: C): string[] => {
    try {
      return problems(config);
    } catch {
      return [];
    }
  };
  return ValidateBy({
    name,
    validator: {
      validate: (_: unknown, args) => found(args?.object as C).length === 0,
      defaultMessage: (args) => `${what} do not hold together: ${found(args?.object as C).join('; ')}`,
    },
  });
};
