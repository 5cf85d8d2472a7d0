// A module worker: a static relative import, a dynamic one, import.meta.url, then what it observes (probe.js),
// answered to the first message (posted by the page right after construction: it must not be lost).
import { dep } from './dep.js';
import './probe.js';
const first = [];
onmessage = async (e) => { try {
  first.push(e.data);
  const dynamic = (await import('./dep.js')).dep;
  let failed;
  try { await import('./missing.js'); } catch (err) { failed = err.name; }
  postMessage(await self.probe(e.data, { kind: 'module', dep, dynamic, meta: import.meta.url, first, failed, strict: this === undefined }));
} catch (err) { postMessage({ probeError: `${err.name}: ${err.message}` }); }
};
