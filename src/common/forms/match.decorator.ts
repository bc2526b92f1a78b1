import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';

/** The property must equal another property of the same object (password confirmation). */
export function Match(property: string, options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'match',
      target: target.constructor,
      propertyName,
      constraints: [property],
      options,
      validator: {
        validate: (value: unknown, args: ValidationArguments) =>
          value === (args.object as Record<string, unknown>)[property],
      },
    });
}
