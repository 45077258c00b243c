import { keyPathProblem } from './key-path';

describe('keyPathProblem', () => {
  it.each([
    'a',
    'config/database/host',
    'a.b/c-d_e',
    'ünïcode/ключ',
    'x'.repeat(512),
    'a/.hidden',
    'a/b..c',
    'versions',
    'versions/a',
    'a/versions2',
  ])('accepts %s', (key) => expect(keyPathProblem(key)).toBeNull());

  it.each([
    ['', /empty/],
    ['/a', /start or end/],
    ['a/', /start or end/],
    ['a//b', /empty segment/],
    ['a/./b', /"\."/],
    ['a/../b', /"\."/],
    ['..', /"\."/],
    ['a\u0000b', /control/],
    ['a\nb', /control/],
    ['a\u007fb', /control/],
    ['x'.repeat(513), /512 bytes/],
    ['é'.repeat(257), /512 bytes/],
    ['a/versions', /must not end with "\/versions"/],
    ['u/\ud800', /well-formed Unicode/],
    ['\udfff/x', /well-formed Unicode/],
  ])('rejects %j', (key, why) => expect(keyPathProblem(key)).toMatch(why));
});
