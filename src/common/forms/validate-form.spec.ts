import { Transform } from 'class-transformer';
import { IsIn, IsNotEmpty, MaxLength } from 'class-validator';
import { validateForm } from './validate-form';

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
