#!/bin/sh
# Runs a Kafka CLI tool (its arguments) as the admin on the ADMIN listener of docker-compose.yml: writes the
# client settings (SASL PLAIN, user admin, password from $KMB_KAFKA_ADMIN_PASSWORD) to a private temporary
# file and passes it with --command-config. Used by the broker's healthcheck and by create-topics.sh.
set -eu

: "${KMB_KAFKA_ADMIN_PASSWORD:?KMB_KAFKA_ADMIN_PASSWORD is not set}"
umask 077
CONFIG="$(mktemp)"
trap 'rm -f "$CONFIG"' EXIT
cat > "$CONFIG" <<PROPERTIES
security.protocol=SASL_PLAINTEXT
sasl.mechanism=PLAIN
sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="$KMB_KAFKA_ADMIN_PASSWORD";
PROPERTIES
"$@" --command-config "$CONFIG"
