import { validateForm } from '../../common/forms/validate-form';
import { ProjectForm } from './project-form.dto';

describe('ProjectForm', () => {
  it('trims the fields and defaults the description to empty', async () => {
    expect(await validateForm(ProjectForm, { name: '  Apollo  ' })).toEqual({
      ok: true,
      value: expect.objectContaining({ name: 'Apollo', description: '' }),
    });
  });

  it('asks for a name when it is missing, blank or not text', async () => {
    for (const name of [undefined, '', '   ', ['a']]) {
      const result = await validateForm(ProjectForm, { name });
      expect(result.ok ? null : result.errors.name).toBe('Enter a name for the project.');
    }
  });

  it('accepts 200 characters and refuses 201', async () => {
    expect((await validateForm(ProjectForm, { name: 'n'.repeat(200) })).ok).toBe(true);
    const result = await validateForm(ProjectForm, { name: 'n'.repeat(201) });
    expect(result.ok ? null : result.errors).toEqual({ name: 'Keep the name to 200 characters.' });
  });

  it('refuses a description that is not text', async () => {
    const result = await validateForm(ProjectForm, { name: 'ok', description: { x: 1 } });
    expect(result.ok ? null : result.errors.description).toBe('Enter the description as text.');
  });
});
