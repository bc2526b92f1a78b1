/**
 * class-transformer helper for integers from a query string or form: blank becomes undefined,
 * digits become a number, anything else stays as typed so that @IsInt reports it.
 */
export function toInteger({ value }: { value: unknown }): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (text === '') return undefined;
  return /^-?\d{1,15}$/.test(text) ? Number(text) : text;
}
