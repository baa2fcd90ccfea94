#!/usr/bin/env bash
# docker-compose's one-shot Kafka set-up, run by the service kafka-setup once the broker is healthy and before any
# service starts: the SCRAM-SHA-512 users svc-admin, svc-intake, svc-router and svc-connect with the passwords of
# the environment, and the ACLs of service-acls.txt. It logs in as svc-broker (SASL PLAIN, the broker's only super
# user). Safe to run again: a user's password is set anew (a changed .env takes effect at the next `up`), and an ACL
# that exists already is left as it is. An ACL removed from service-acls.txt is not revoked here: remove it with
# kafka-acls.sh --remove.
set -euo pipefail

BOOTSTRAP=kafka:9092
BIN=/opt/kafka/bin
ACLS=/opt/eventing/service-acls.txt
# SCRAM iterations, as admin-api's default for app users.
ITERATIONS=8192

for var in BROKER_PASSWORD ADMIN_PASSWORD INTAKE_PASSWORD ROUTER_PASSWORD CONNECT_PASSWORD; do
  if [[ -z "${!var:-}" ]]; then
    echo "kafka-setup: $var is empty" >&2
    exit 1
  fi
done

# The super user's login, readable by this container's user only, on its tmpfs.
umask 077
LOGIN=$(mktemp)
trap 'rm -f "$LOGIN"' EXIT
printf '%s\n' \
  'security.protocol=SASL_PLAINTEXT' \
  'sasl.mechanism=PLAIN' \
  "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"svc-broker\" password=\"${BROKER_PASSWORD}\";" \
  > "$LOGIN"

for service in admin intake router connect; do
  var="${service^^}_PASSWORD"
  "$BIN/kafka-configs.sh" --bootstrap-server "$BOOTSTRAP" --command-config "$LOGIN" --alter \
    --entity-type users --entity-name "svc-$service" \
    --add-config "SCRAM-SHA-512=[iterations=${ITERATIONS},password=${!var}]" > /dev/null
  echo "kafka-setup: SCRAM-SHA-512 user svc-$service set"
done

while read -r user resource pattern name operations; do
  [[ -z "$user" || "$user" == \#* ]] && continue
  case "$resource" in
    CLUSTER) target=(--cluster) ;;
    TOPIC) target=(--topic "$name") ;;
    GROUP) target=(--group "$name") ;;
    TRANSACTIONAL_ID) target=(--transactional-id "$name") ;;
    *) echo "kafka-setup: unknown resource type $resource" >&2; exit 1 ;;
  esac
  ops=()
  for op in ${operations//,/ }; do
    ops+=(--operation "$op")
  done
  "$BIN/kafka-acls.sh" --bootstrap-server "$BOOTSTRAP" --command-config "$LOGIN" --add \
    --allow-principal "User:$user" "${ops[@]}" "${target[@]}" \
    --resource-pattern-type "${pattern,,}" > /dev/null
  echo "kafka-setup: $user may $operations on $resource $pattern $name"
done < "$ACLS"

echo "kafka-setup: done"
