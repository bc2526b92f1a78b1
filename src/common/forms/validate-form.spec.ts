import { Transform } from 'class-transformer';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { NUL_MESSAGE, validateForm } from './validate-form';

class SampleForm {
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsNotEmpty({ message: 'Enter a title.' })
  @MaxLength(5, { message: 'Keep the title to 5 characters.' })
  title!: string;

  @IsIn(['A', 'B'], { message: 'Choose A or B.' })
  kind!: string;
}

describe('validateForm', () => {
  it('returns the typed value for valid input, without extra fields', async () => {
    const result = await validateForm(SampleForm, { title: ' ok ', kind: 'A', _csrf: 't', admin: 'yes' });
    expect(result).toEqual({ ok: true, value: expect.objectContaining({ title: 'ok', kind: 'A' }) });
    expect(result.ok && 'admin' in result.value).toBe(false);
  });

  it('returns one message per field and the input to keep', async () => {
    const result = await validateForm(SampleForm, { title: 'too long', kind: 'C', _csrf: 't' });
    expect(result).toEqual({
      ok: false,
      errors: { title: 'Keep the title to 5 characters.', kind: 'Choose A or B.' },
      input: { title: 'too long', kind: 'C' },
    });
  });
});

describe('validateForm on hostile input', () => {
  class OptionalForm {
    @IsOptional()
    @IsString()
    note?: string;
  }

  it('treats a JSON null as a field not sent, so that it never reaches a NOT NULL column', async () => {
    const result = await validateForm(OptionalForm, { note: null });
    expect(result.ok).toBe(true);
    expect(result.ok && 'note' in result.value && result.value.note !== undefined).toBe(false);
  });

  it('refuses text with a NUL character in any field, with a message for that field', async () => {
    expect(await validateForm(OptionalForm, { note: 'a\u0000b' })).toEqual({
      ok: false,
      errors: { note: NUL_MESSAGE },
      input: { note: 'a\u0000b' },
    });
    expect(await validateForm(SampleForm, { title: '\u0000', kind: 'A' })).toMatchObject({
      ok: false,
      errors: { title: NUL_MESSAGE },
    });
  });

  it('answers a body that is not an object as an empty form', async () => {
    expect(await validateForm(SampleForm, 'title=x')).toMatchObject({
      ok: false,
      input: {},
      errors: { title: expect.any(String) },
    });
  });
});
