// Reads records with Confluent's own Avro deserializer (@confluentinc/schemaregistry), as a Confluent consumer
// would: the schema id from the wire format, the schema from the registry at the URL given, TopicNameStrategy.
// Input, one per line: {"topic": "...", "value": "<the record value, base64>"}.
// Output, one per line: {"topic": "...", "record": <the decoded record>}, Avro longs as JSON numbers.
// Any failure exits with status 1 and the error on stderr.
const { SchemaRegistryClient, AvroDeserializer, SerdeType } = require('@confluentinc/schemaregistry');
const readline = require('node:readline');

(async () => {
  const client = new SchemaRegistryClient({ baseURLs: [process.argv[2]] });
  const deserializer = new AvroDeserializer(client, SerdeType.VALUE, {});
  const lines = readline.createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (!line.trim()) {
      continue;
    }
    const { topic, value } = JSON.parse(line);
    const record = await deserializer.deserialize(topic, Buffer.from(value, 'base64'));
    process.stdout.write(JSON.stringify({ topic, record }) + '\n');
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
