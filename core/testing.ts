/**
Test helpers for code built on sse-console: the checks every replay store must pass.

```ts
import { describeReplayStore } from 'sse-console/testing';
```

@packageDocumentation
*/
export { describeReplayStore, replayStoreChecks } from './history/replay-store-suite.js';
export type { MakeReplayStore, ReplayStoreCheck, ReplayStoreTestRunner } from './history/replay-store-suite.js';
