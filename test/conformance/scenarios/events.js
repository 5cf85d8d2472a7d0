// Listener semantics: order of onX vs addEventListener, replacement, removal, handleEvent, once,
// signal, this, target/currentTarget, event classes, isTrusted, a throwing listener, synthetic events.
window.scenario = async () => {
  const log = [];
  const ws = new WebSocket(env.ws + '/echo');
  ws.addEventListener('open', function () { log.push('L1 open this=ws:' + (this === ws)); });
  ws.onopen = function (e) { log.push('onopen ' + e.constructor.name + ' trusted:' + e.isTrusted + ' this=ws:' + (this === ws)); };
  ws.addEventListener('open', () => log.push('L2 open'));
  ws.addEventListener('open', { handleEvent(e) { log.push('handleEvent ' + (e.currentTarget === ws) + ' ' + (e.target === ws)); } });
  ws.addEventListener('open', () => log.push('once'), { once: true });
  const ac = new AbortController();
  ws.addEventListener('message', () => log.push('with signal'), { signal: ac.signal });
  const removed = () => log.push('removed listener ran');
  ws.addEventListener('message', removed);
  ws.removeEventListener('message', removed);
  ws.addEventListener('message', () => { log.push('thrower'); throw new Error('listener error'); });
  ws.addEventListener('message', (e) => log.push('after thrower ' + e.constructor.name + ' ' + e.data + ' origin:' + (e.origin === env.ws) + ' ports:' + e.ports.length + ' lastEventId:' + JSON.stringify(e.lastEventId)));
  ws.onmessage = (e) => log.push('onmessage#1 ' + e.data + ' phase:' + e.eventPhase + ' bubbles:' + e.bubbles + ' cancelable:' + e.cancelable + ' composed:' + e.composed);
  const errors = [];
  window.addEventListener('error', (e) => { errors.push(e.message); e.preventDefault(); });
  await lib.once(ws, 'open');
  ws.send('m1');
  await lib.messages(ws, 1);
  ws.onmessage = (e) => log.push('onmessage#2 ' + e.data);
  ac.abort();
  ws.send('m2');
  await lib.messages(ws, 1);
  ws.onmessage = null;
  ws.send('m3');
  await lib.messages(ws, 1);

  // synthetic events the page dispatches reach its listeners, and nothing else happens
  const synthetic = [];
  ws.addEventListener('message', (e) => synthetic.push(['listener', e.data, e.isTrusted]));
  ws.onclose = (e) => synthetic.push(['onclose', e.code, e.isTrusted]);
  ws.dispatchEvent(new MessageEvent('message', { data: 'fake' }));
  ws.dispatchEvent(new CloseEvent('close', { code: 4444 }));
  ws.dispatchEvent(new Event('open'));
  ws.send('real');
  await lib.messages(ws, 1);

  const props = { onopen: typeof ws.onopen, onerror: ws.onerror, stopImmediate: [] };
  ws.addEventListener('message', (e) => { props.stopImmediate.push('first'); e.stopImmediatePropagation(); });
  ws.addEventListener('message', () => props.stopImmediate.push('second (must not run)'));
  ws.send('stop');
  await lib.sleep(200);
  ws.close();
  await lib.closed(ws);
  return { log, errors, synthetic, props, readyState: ws.readyState };
};
