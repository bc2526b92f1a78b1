import { ClassConstructor, plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';

export type FormErrors = Record<string, string>;

export type FormResult<T> = { ok: true; value: T } | { ok: false; errors: FormErrors; input: Record<string, unknown> };

/**
 * Validates a submitted form against a class-validator DTO. Returns the typed value, or the
 * first message per field (to show beside the field) plus what was typed (to keep in the form).
 * Unknown fields are stripped; `_csrf` and `_method` never reach the DTO.
 */
export async function validateForm<T extends object>(dto: ClassConstructor<T>, body: unknown): Promise<FormResult<T>> {
  const input = { ...((body ?? {}) as Record<string, unknown>) };
  delete input._csrf;
  delete input._method;
  const value = plainToInstance(dto, input);
  const issues = await validate(value, { whitelist: true, forbidUnknownValues: false });
  if (issues.length === 0) return { ok: true, value };
  const errors: FormErrors = {};
  for (const issue of issues) {
    const messages = Object.values(issue.constraints ?? {});
    if (messages.length) errors[issue.property] = messages[0];
  }
  return { ok: false, errors, input };
}
