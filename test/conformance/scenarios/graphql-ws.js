// graphql-ws client (real library) against a real graphql-ws server: a subscription to completion.
window.scenario = async () => {
  const client = graphqlWs.createClient({ url: env.ws + '/proxy/graphql', retryAttempts: 0, lazy: true });
  const events = [];
  await new Promise((resolve, reject) => {
    client.subscribe({ query: 'subscription { countdown(from: 3) }' }, {
      next: (v) => events.push(v),
      error: reject,
      complete: resolve,
    });
  });
  const single = await new Promise((resolve, reject) => {
    let value;
    client.subscribe({ query: '{ hello }' }, { next: (v) => { value = v; }, error: reject, complete: () => resolve(value) });
  });
  await client.dispose();
  return { events, single };
};
