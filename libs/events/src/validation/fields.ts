import 'reflect-metadata';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, Length, Max, Min } from 'class-validator';

type Decorator = PropertyDecorator;

function all(...decorators: Decorator[]): Decorator {
  return (target, property) => decorators.forEach((d) => d(target, property));
}

/** A required string of 1..max characters (bounded, so a 1 MB string is refused by rule, not by memory). */
export const RequiredString = (max = 128): Decorator => all(IsString(), Length(1, max));
export const OptionalString = (max = 128): Decorator => all(IsOptional(), IsString(), Length(1, max));
export const RequiredEnum = (values: readonly string[]): Decorator => all(IsIn(values as string[]));
export const OptionalEnum = (values: readonly string[]): Decorator => all(IsOptional(), IsIn(values as string[]));
/** Integer amount of minor units (fen for CNY); signed where the field says so. */
export const MinorUnits = (min = Number.MIN_SAFE_INTEGER): Decorator =>
  all(IsInt(), Min(min), Max(Number.MAX_SAFE_INTEGER));
export const OptionalMinorUnits = (min = Number.MIN_SAFE_INTEGER): Decorator =>
  all(IsOptional(), IsInt(), Min(min), Max(Number.MAX_SAFE_INTEGER));
/** A finite number from 0 to 1: a rate, a share, a score. */
export const Rate = (): Decorator => all(IsNumber({ allowNaN: false, allowInfinity: false }), Min(0), Max(1));
