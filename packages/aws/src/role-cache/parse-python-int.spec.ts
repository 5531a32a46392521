import { parsePythonInt } from './parse-python-int';

describe(parsePythonInt.name, () => {
  it.each<[string, number | undefined]>([
    ['3600', 3600],
    [' 3600 ', 3600],
    ['\t+900\n', 900],
    ['-5', -5],
    ['3_600', 3600],
    ['0900', 900],
    ['3600.0', undefined],
    ['1e3', undefined],
    ['0x10', undefined],
    ['3__600', undefined],
    ['_3600', undefined],
    ['', undefined],
    ['99999999999999999999', undefined],
  ])('int(%p) is %p, as in Python', (text, value) => {
    expect(parsePythonInt(text)).toBe(value);
  });
});
