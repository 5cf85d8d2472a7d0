// A classic worker: relative importScripts, then what it observes (probe.js), answered to the first message.
importScripts('probe.js', 'lib.js');
const first = [];
onmessage = async (e) => { try {
  first.push(e.data);
  let failed;
  try { importScripts('missing.js'); } catch (err) { failed = `${err.name}: ${err.message}`; }
  postMessage(await self.probe(e.data, { kind: 'classic', lib: self.lib, first, failed }));
} catch (err) { postMessage({ probeError: `${err.name}: ${err.message}` }); }
};
