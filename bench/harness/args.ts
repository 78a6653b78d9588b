interface BenchArgs {
  readonly rounds: number;
  readonly json: boolean;
  readonly only: string | undefined;
  readonly quick: boolean;
  readonly redisConnections: number;
}

export type BenchArgsResult =
  { readonly ok: true; readonly args: BenchArgs } | { readonly ok: false; readonly error: string };

export const usage = `usage: npm run bench -- [--rounds N] [--only NAME] [--quick] [--json]
  --rounds N   rounds per benchmark, subjects alternating each round (default 5)
  --only NAME  run one benchmark: fanout, steady, connections, replay, startup, tui, proxy, redis, redis-fanout, redis-storm
  --quick      reduced sizes, for a smoke check (not for comparing numbers)
  --redis-connections N
               connections per process in redis-fanout (default 1000; the in-memory row gets 3 × N)
  --json       print the results as JSON instead of tables
`;

export function parseBenchArgs(argv: readonly string[], benchmarkNames: readonly string[]): BenchArgsResult {
  let rounds = 5;
  let json = false;
  let only: string | undefined;
  let quick = false;
  let redisConnections = 1000;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--rounds': {
        const text = value();
        if (text === undefined || !/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 100) {
          return { ok: false, error: `--rounds takes a whole number from 1 to 100, got "${text ?? ''}"` };
        }
        rounds = Number(text);
        break;
      }
      case '--only': {
        const name = value();
        if (name === undefined || !benchmarkNames.includes(name)) {
          return { ok: false, error: `--only takes one of ${benchmarkNames.join(', ')}, got "${name ?? ''}"` };
        }
        only = name;
        break;
      }
      case '--redis-connections': {
        const text = value();
        if (text === undefined || !/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 10_000) {
          return { ok: false, error: `--redis-connections takes a whole number from 1 to 10000, got "${text ?? ''}"` };
        }
        redisConnections = Number(text);
        break;
      }
      case '--json':
        json = true;
        break;
      case '--quick':
        quick = true;
        break;
      case '--help':
      case '-h':
        return { ok: false, error: '' };
      default:
        return { ok: false, error: `unknown option "${arg}"` };
    }
  }
  return { ok: true, args: { rounds, json, only, quick, redisConnections } };
}
