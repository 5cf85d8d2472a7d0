// reconnecting-websocket (real library): the server kills the socket, the client reconnects and goes on.
window.scenario = async () => {
  const log = [];
  const rws = new ReconnectingWebSocket(env.ws + '/proxy/flaky?run=' + env.run, [], { minReconnectionDelay: 50, maxReconnectionDelay: 100, maxRetries: 5 });
  rws.addEventListener('open', () => log.push(['open', rws.retryCount]));
  rws.addEventListener('close', (e) => log.push(['close', e.code, e.wasClean]));
  await new Promise((resolve) => {
    rws.addEventListener('message', (e) => {
      log.push(['message', e.data]);
      if (e.data === 'welcome 1') rws.send('kill me');
      if (e.data === 'welcome 2') { rws.send('hello again'); }
      if (e.data === 'echo hello again') resolve();
    });
  });
  rws.close(1000, 'done');
  await lib.sleep(100);
  return { log, readyState: rws.readyState };
};
