// Writes records with Confluent's own Avro serializer (@confluentinc/schemaregistry), as a Confluent producer would:
// the schema is registered under the topic's subject (TopicNameStrategy) through Confluent's client, and the
// serializer frames each record with the latest version's id.
// Arguments: the registry URL, the topic, the Avro schema (JSON). Input, one per line: a record as JSON.
// REGISTRY_USER_INFO in the environment (user:token) is the registry credential, sent as Confluent's clients send
// basic.auth.user.info with USER_INFO: registry writes need one.
// Output, one per line: {"id": <the schema id registered>, "value": "<the record value, base64>"}.
// Any failure exits with status 1 and the error on stderr.
const { SchemaRegistryClient, AvroSerializer, SerdeType } = require('@confluentinc/schemaregistry');
const readline = require('node:readline');

(async () => {
  const [registryUrl, topic, schema] = process.argv.slice(2);
  const userInfo = process.env.REGISTRY_USER_INFO;
  const client = new SchemaRegistryClient({
    baseURLs: [registryUrl],
    ...(userInfo ? { basicAuthCredentials: { credentialsSource: 'USER_INFO', userInfo } } : {}),
  });
  const id = await client.register(topic + '-value', { schemaType: 'AVRO', schema }, false);
  const serializer = new AvroSerializer(client, SerdeType.VALUE, { autoRegisterSchemas: false, useLatestVersion: true });
  const lines = readline.createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (!line.trim()) {
      continue;
    }
    const value = await serializer.serialize(topic, JSON.parse(line));
    process.stdout.write(JSON.stringify({ id, value: value.toString('base64') }) + '\n');
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
