// Query parameters checked the way Google's front end checks them against the discovery document: ranges,
// enums (case-insensitive) and booleans, with its error messages.
import type { Request } from 'express';
import { invalidParameter } from './errors.ts';

/** The raw query of a request. */
export type Query = Request['query'];

/** A query parameter as a string; the first value when repeated. */
export function stringParam(query: Query, name: string): string | undefined {
  const value = query[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : undefined;
}

/** How an integer parameter is bounded. */
export interface IntBounds {
  fallback: number;
  min: number;
  /** Rejected above this (the discovery document declares a maximum). */
  max?: number;
  /** Silently lowered to this (only the documentation states a maximum). */
  cap?: number;
}

/** An integer parameter within its bounds. */
export function intParam(query: Query, name: string, bounds: IntBounds): number {
  const raw = stringParam(query, name);
  if (raw === undefined || raw === '') return bounds.fallback;
  const value = Number(raw);
  const max = bounds.max ?? 2147483647;
  if (!/^-?\d+$/.test(raw.trim()) || value < bounds.min || value > max) {
    throw invalidParameter(name, `Invalid value '${raw}'. Values must be within the range: [${bounds.min}, ${max}]`);
  }
  return bounds.cap === undefined ? value : Math.min(value, bounds.cap);
}

/** One of the allowed values (matched ignoring case), returned as spelt in `allowed`. */
export function enumParam<T extends string>(query: Query, name: string, allowed: readonly T[]): T | undefined {
  const raw = stringParam(query, name);
  if (raw === undefined || raw === '') return undefined;
  const match = allowed.find((value) => value.toLowerCase() === raw.toLowerCase());
  if (match === undefined) {
    throw invalidParameter(
      name,
      `Invalid string value: '${raw}'. Allowed values: [${allowed.map((v) => v.toLowerCase()).join(', ')}]`,
    );
  }
  return match;
}

/** A boolean parameter; absent means false. */
export function boolParam(query: Query, name: string): boolean {
  const raw = stringParam(query, name);
  if (raw === undefined || raw === '') return false;
  if (/^true$/i.test(raw)) return true;
  if (/^false$/i.test(raw)) return false;
  throw invalidParameter(name, `Invalid boolean value: '${raw}'.`);
}
