import { formatTrace } from './format-trace';

describe(formatTrace.name, () => {
  it('one span per line: name, outcome, rounded milliseconds, drawn as a tree', () => {
    expect(
      formatTrace({
        name: 'explain (ACME)',
        ms: 12.6,
        children: [
          {
            name: 'prefixed-profile',
            outcome: 'resolved',
            ms: 11.4,
            children: [
              { name: 'role cache 1a2b3c4d…', outcome: 'miss', children: [] },
              {
                name: 'STS AssumeRole arn:aws:iam::111122223333:role/a',
                outcome: 'ok',
                ms: 0.4,
                children: [{ name: 'nested', children: [] }],
              },
            ],
          },
          {
            name: 'env',
            outcome: 'unavailable',
            ms: 0,
            children: [{ name: 'inner', children: [] }],
          },
        ],
      }),
    ).toBe(
      [
        'explain (ACME)  13 ms',
        '├─ prefixed-profile  resolved  11 ms',
        '│  ├─ role cache 1a2b3c4d…  miss',
        '│  └─ STS AssumeRole arn:aws:iam::111122223333:role/a  ok  0 ms',
        '│     └─ nested',
        '└─ env  unavailable  0 ms',
        '   └─ inner',
        '',
      ].join('\n'),
    );
  });
});
