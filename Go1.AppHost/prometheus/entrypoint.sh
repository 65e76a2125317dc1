#!/bin/sh
# Turns GO1_SCRAPE_<SERVICE>=host:port variables into a file_sd target list, then starts Prometheus.
set -eu
out=/prometheus/go1-targets.json
sep=""
printf '[' > "$out"
for service in $GO1_SCRAPE_SERVICES; do
  var="GO1_SCRAPE_$(echo "$service" | tr '[:lower:]' '[:upper:]')"
  eval "target=\${$var}"
  printf '%s{"targets":["%s"],"labels":{"service":"%s"}}' "$sep" "$target" "$service" >> "$out"
  sep=","
done
printf ']\n' >> "$out"
exec /bin/prometheus \
  --config.file=/etc/prometheus/go1/prometheus.yml \
  --storage.tsdb.path=/prometheus \
  --web.enable-lifecycle
