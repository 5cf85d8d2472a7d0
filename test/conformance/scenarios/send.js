// send(): every data type, coercions, bytes echoed back, errors, bufferedAmount after close, binaryType.
window.scenario = async () => {
  const out = {};
  const connecting = new WebSocket(env.ws + '/echo');
  out.whileConnecting = lib.attempt(() => connecting.send('x'));
  out.noArgs = lib.attempt(() => connecting.send());
  out.illegalInvocation = lib.attempt(() => WebSocket.prototype.send.call({}, 'x'));
  out.symbol = lib.attempt(() => connecting.send(Symbol('s')));
  await lib.once(connecting, 'open');
  connecting.close();

  const ws = await lib.open(env.ws + '/echo');
  ws.binaryType = 'arraybuffer';
  let toStringCalls = 0;
  const buf = new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]).buffer;
  const payloads = [
    'plain', 'non-ASCII é ✓ 😀', 'lone \ud800 surrogate', '',
    buf, new Uint8Array(buf, 3, 4), new DataView(buf, 6, 2), new Int16Array([-2, 300]), new Float64Array([1.5]),
    new Blob(['blob ', 'parts']),
    42, null, undefined, true, { toString() { toStringCalls++; return 'from toString'; } }, [1, 2],
  ];
  const returned = payloads.map((p) => lib.attempt(() => ws.send(p)));
  const echoed = await lib.messages(ws, payloads.length);
  out.returned = returned;
  out.echoed = await Promise.all(echoed.map(lib.bytes));
  out.toStringCalls = toStringCalls;

  // binaryType: valid and invalid assignments, then a Blob echo
  const types = [];
  for (const v of ['blob', 'arraybuffer', 'nonsense', '', 'BLOB']) { ws.binaryType = v; types.push(ws.binaryType); }
  out.binaryTypes = types;
  ws.binaryType = 'blob';
  ws.send(new Uint8Array([7, 7, 7]));
  const [asBlob] = await lib.messages(ws, 1);
  out.blobEcho = await lib.bytes(asBlob);

  // after close: send does not throw, bufferedAmount grows
  ws.close();
  const afterClose = [];
  for (const p of ['abc', new Uint8Array(5)]) afterClose.push([lib.attempt(() => ws.send(p)), ws.bufferedAmount]);
  await lib.closed(ws);
  afterClose.push([lib.attempt(() => ws.send('x')), ws.bufferedAmount, ws.readyState]);
  out.afterClose = afterClose;
  return out;
};
