/**
A Redis Streams engine for sse-console: several processes, one stream per channel.
Needs the `redis` package (node-redis), an optional peer dependency loaded only when
`connectRedisEngine` is called.

```ts
import { connectRedisEngine } from 'sse-console/redis';
```

@packageDocumentation
*/
export { connectRedisEngine } from './redis-engine.js';
export type { RedisEngine, RedisEngineOptions } from './redis-engine.js';
// The store interface its stores implement (the same types `sse-console` exports).
export type {
  ReplayFeedListener,
  ReplayRead,
  ReplayReset,
  ReplayResetReason,
  ReplayStore,
  ReplayStoreInput,
} from '../history/replay-store.js';
export type { HistoryRecord } from '../stream/types.js';
