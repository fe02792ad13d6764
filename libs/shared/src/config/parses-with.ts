import { ValidateBy } from 'class-validator';

/**
 * A configuration variable that a parser must accept: valid when `parse` does not throw;
 * the message is the parser's own (prefixed with the variable) unless `message` is given.
 */
export const ParsesWith = (name: string, parse: (text: string) => unknown, message?: (property: string) => string) =>
  ValidateBy({
    name,
    validator: {
      validate: (value: unknown) => problemOf(parse, value) === undefined,
      defaultMessage: (args) => (message ? message(args?.property ?? '') : `${args?.property}: ${problemOf(parse, args?.value) ?? ''}`),
    },
  });

function problemOf(parse: (text: string) => unknown, value: unknown): string | undefined {
  try {
    parse(String(value));
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
