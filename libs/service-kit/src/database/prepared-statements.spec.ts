import { preparedStatement } from './prepared-statements';

describe('preparedStatement', () => {
  it('names a text, and may be declared again with the same text', () => {
    const first = preparedStatement('spec_same', 'SELECT 1');
    expect(first).toEqual({ name: 'spec_same', text: 'SELECT 1' });
    expect(preparedStatement('spec_same', 'SELECT 1')).toEqual(first);
  });

  it('refuses a second text under a name in use: Postgres would run the first one under it', () => {
    preparedStatement('spec_clash', 'SELECT 1');
    expect(() => preparedStatement('spec_clash', 'SELECT 2')).toThrow(/declared twice/);
  });
});
