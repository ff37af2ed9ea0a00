// Preloaded by bench/peers/profile.ts (`--import`) in its heap mode: V8's sampling heap profiler, counting every sampled
// allocation, also the ones collected since (`--heap-prof` keeps only what is still alive, which hides garbage, the cost
// that matters under load). The profile is written as HEAP_SAMPLER_FILE when the process exits.
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';

const session = new Session();
session.connect();
session.post('HeapProfiler.startSampling', {
  samplingInterval: 16_384,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
});
process.once('exit', () => {
  // An in-process session answers synchronously, so this runs to its end before the process is gone.
  session.post('HeapProfiler.stopSampling', (error, result) => {
    if (!error) writeFileSync(process.env.HEAP_SAMPLER_FILE, JSON.stringify(result.profile));
  });
});
