import { registerDecorator, ValidationOptions } from 'class-validator';
import addressparser from 'nodemailer/lib/addressparser';

export const EMAIL_ADDRESS_MESSAGE = 'Enter a valid email address, like name@example.com.';
export const EMAIL_MAX_LENGTH = 254;

/** RFC 5322 dot-atom: no quoted strings, comments, spaces, brackets, commas or second @. */
const ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const LOCAL_PART = new RegExp(`^${ATOM}(?:\\.${ATOM})*$`);
/**
 * Host names in ASCII (an internationalised domain is typed in its xn-- form). The top-level
 * domain is two letters or more, or an xn-- label, as class-validator's isEmail requires.
 */
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const TLD = '(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})';
const DOMAIN = new RegExp(`^(?:${LABEL}\\.)+${TLD}$`);

/**
 * A plain `local@domain` address that mail goes to exactly as written. RFC 5322 also allows
 * quoted local parts, comments and display names (`"<x>"@example.com`, `a(b)@example.com`),
 * which nodemailer parses into a different recipient than the one shown on screen; those are
 * refused. As a last check, nodemailer's own parser must read the string back as this one
 * address, so that what is listed is what is delivered.
 */
export function isPlainEmailAddress(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > EMAIL_MAX_LENGTH) return false;
  const at = value.lastIndexOf('@');
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (at < 1 || local.length > 64 || !LOCAL_PART.test(local) || !DOMAIN.test(domain)) return false;
  const parsed = addressparser(value, { flatten: true });
  return parsed.length === 1 && parsed[0].address === value && parsed[0].name === '';
}

/** class-validator decorator for isPlainEmailAddress. */
export function IsPlainEmail(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isPlainEmail',
      target: target.constructor,
      propertyName,
      options: { message: EMAIL_ADDRESS_MESSAGE, ...options },
      validator: { validate: (value: unknown) => isPlainEmailAddress(value) },
    });
}
