# Sourced by the check scripts: wait_until_up URL LOG [SECONDS] waits for URL to answer 2xx while the
# server whose output is LOG starts (migrations and imports take tens of seconds on a loaded machine),
# and fails with the server's log when it never does, instead of letting the next step meet a closed
# port.
wait_until_up() {
  local url=$1 log=$2 seconds=${3:-180} waited=0
  until curl -sf "$url" >/dev/null; do
    if (( waited >= seconds * 2 )); then
      echo "the server did not answer $url within ${seconds} s; its log:" >&2
      cat "$log" >&2
      return 1
    fi
    sleep 0.5
    waited=$((waited + 1))
  done
}
