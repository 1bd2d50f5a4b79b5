#!/bin/sh
# Creates the KMB topics named as arguments on $BOOTSTRAP_SERVER (one address or a comma-separated list;
# run by the kafka-init service of docker-compose.yml inside the apache/kafka image). Safe to run again:
# an existing topic is left as is.
# Retention is unlimited (retention.ms=-1): every fact is kept so any view can be rebuilt by replay.
set -eu

: "${BOOTSTRAP_SERVER:?BOOTSTRAP_SERVER is not set}"
PARTITIONS="${PARTITIONS:-3}"
REPLICATION_FACTOR="${REPLICATION_FACTOR:-1}"
# Copies that must be in sync for an acks=all write (kmb_shared.messaging.admin.replication_for):
# 2 with 3 copies, else 1.
MIN_INSYNC_REPLICAS="${MIN_INSYNC_REPLICAS:-1}"
# The apache/kafka image's tool; TOPICS_TOOL overrides it (to run this script outside the image).
TOPICS_CMD="${TOPICS_TOOL:-/opt/kafka/bin/kafka-topics.sh}"
# On a SASL broker (KMB_KAFKA_ADMIN_PASSWORD set) every call goes through kafka-admin.sh, as the admin.
AS_ADMIN=""
if [ -n "${KMB_KAFKA_ADMIN_PASSWORD:-}" ]; then
    AS_ADMIN="sh $(dirname "$0")/kafka-admin.sh"
fi

if [ "$#" -eq 0 ]; then
    echo "usage: create-topics.sh TOPIC..." >&2
    exit 2
fi

for topic in "$@"; do
    $AS_ADMIN "$TOPICS_CMD" --bootstrap-server "$BOOTSTRAP_SERVER" --create --if-not-exists \
        --topic "$topic" --partitions "$PARTITIONS" --replication-factor "$REPLICATION_FACTOR" \
        --config retention.ms=-1 --config min.insync.replicas="$MIN_INSYNC_REPLICAS"
done

echo "Topics on $BOOTSTRAP_SERVER:"
$AS_ADMIN "$TOPICS_CMD" --bootstrap-server "$BOOTSTRAP_SERVER" --list
