import { ClassConstructor, plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';

export type FormErrors = Record<string, string>;

export const NUL_MESSAGE = 'Remove the invisible null character from this field.';

export type FormResult<T> = { ok: true; value: T } | { ok: false; errors: FormErrors; input: Record<string, unknown> };

/**
 * Validates a submitted form against a class-validator DTO. Returns the typed value, or the
 * first message per field (to show beside the field) plus what was typed (to keep in the form).
 * Unknown fields are stripped; `_csrf` and `_method` never reach the DTO.
 *
 * Two rules hold for every form, whatever its DTO says: a JSON `null` counts as a field not
 * sent (no HTML form sends one, and `@IsOptional()` would let it through to a NOT NULL
 * column), and text with a NUL character is refused (PostgreSQL cannot store it in text).
 */
export async function validateForm<T extends object>(dto: ClassConstructor<T>, body: unknown): Promise<FormResult<T>> {
  const input = { ...(body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {}) };
  delete input._csrf;
  delete input._method;
  for (const key of Object.keys(input)) if (input[key] === null) delete input[key];
  const value = plainToInstance(dto, input);
  const issues = await validate(value, { whitelist: true, forbidUnknownValues: false });
  const errors: FormErrors = {};
  for (const [key, field] of Object.entries(input)) if (containsNul(field)) errors[key] = NUL_MESSAGE;
  if (issues.length === 0 && Object.keys(errors).length === 0) return { ok: true, value };
  for (const issue of issues) {
    const messages = Object.values(issue.constraints ?? {});
    if (messages.length) errors[issue.property] ??= messages[0];
  }
  return { ok: false, errors, input };
}

function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  return Array.isArray(value) && value.some(containsNul);
}
