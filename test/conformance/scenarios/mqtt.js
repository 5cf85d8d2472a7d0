// mqtt.js (real library) over WebSocket against a real MQTT broker (aedes): subscribe, publish QoS 0/1,
// binary payload, unsubscribe, clean disconnect.
window.scenario = async () => {
  const client = mqtt.connect(env.ws + '/proxy/mqtt', { clientId: 'conformance', reconnectPeriod: 0, keepalive: 0 });
  await new Promise((r, j) => { client.on('connect', r); client.on('error', j); });
  const got = [];
  client.on('message', (topic, payload, packet) => got.push([topic, Array.from(payload), packet.qos, packet.retain]));
  await client.subscribeAsync('test/#', { qos: 1 });
  await client.publishAsync('test/text', 'hello mqtt', { qos: 0 });
  await client.publishAsync('test/binary', new Uint8Array([0, 255, 1, 254]), { qos: 1 });
  while (got.length < 2) await lib.sleep(20);
  await client.unsubscribeAsync('test/#');
  await client.endAsync();
  return { got, connected: client.connected };
};
