# Forge sandbox preflight. Runs as the container's first process, before the step's command, and
# checks from the inside that the container is as locked down as Forge asked Docker to make it.
# It prints exactly one line to stdout,
#   FORGE_PREFLIGHT {"passed":true|false,"failed":[...],...evidence...}
# and then either execs the step's command or exits 125 without running it (fail closed).
#
# Arguments: <network mode: none|restricted> <proxy ip:port or -> <allowlisted probe host:port or -> \
#            <denied probe host:port or -> -- <command> [arguments...]
# Only bash builtins and /proc are used, so it works in any image that has /bin/bash.
set -u
mode=$1 proxy=$2 allow_probe=$3 deny_probe=$4
shift 4
[ "${1-}" = "--" ] && shift

failed=()
fail() { failed+=("$1"); }

cap_eff='' cap_bnd='' nnp='' seccomp=''
while IFS=$': \t' read -r key value _; do
  case $key in
    CapEff) cap_eff=$value ;;
    CapBnd) cap_bnd=$value ;;
    NoNewPrivs) nnp=$value ;;
    Seccomp) seccomp=$value ;;
  esac
done < /proc/self/status

[ "$EUID" != 0 ] && [ "$UID" != 0 ] || fail "runs as root (uid $UID, euid $EUID)"
[ "$cap_eff" = 0000000000000000 ] || fail "effective capabilities are not empty ($cap_eff)"
[ "$cap_bnd" = 0000000000000000 ] || fail "the capability bounding set is not empty ($cap_bnd)"
[ "$nnp" = 1 ] || fail "no_new_privs is not set ($nnp)"
[ "$seccomp" = 2 ] || fail "seccomp filtering is off (Seccomp: $seccomp)"

root_options=''
while read -r _ mount_point _ options _; do
  [ "$mount_point" = / ] && root_options=$options
done < /proc/self/mounts
root_read_only=false
case ",$root_options," in *,ro,*) root_read_only=true ;; esac
$root_read_only || fail "the root file system is mounted read-write (${root_options%%,*})"
if (: > /.forge-preflight-probe) 2>/dev/null; then
  rm -f /.forge-preflight-probe
  root_read_only=false
  fail "a file could be created in /"
fi

interfaces=()
line=0
while IFS=': ' read -r name _; do
  line=$((line + 1))
  [ "$line" -gt 2 ] && [ -n "$name" ] && interfaces+=("$name")
done < /proc/net/dev
default_route=false gateway=''
while read -r _ destination via _ _ _ _ mask _; do
  if [ "$destination" = 00000000 ] && [ "$mask" = 00000000 ]; then
    default_route=true
    gateway=$(printf '%d.%d.%d.%d' "0x${via:6:2}" "0x${via:4:2}" "0x${via:2:2}" "0x${via:0:2}")
  fi
done < /proc/net/route
ipv6_default_route=false
if [ -r /proc/net/ipv6_route ]; then
  while read -r destination prefix _ _ _ _ _ _ _ device; do
    [ "$destination" = 00000000000000000000000000000000 ] && [ "$prefix" = 00 ] \
      && [ "$device" != lo ] && ipv6_default_route=true
  done < /proc/net/ipv6_route
fi
$ipv6_default_route && fail "there is an IPv6 default route: direct egress is possible"
if [ "$mode" = none ]; then
  $default_route && fail "there is a default route: direct egress is possible"
  for name in "${interfaces[@]}"; do
    [ "$name" = lo ] || fail "network mode none but interface $name exists"
  done
else
  [ ${#interfaces[@]} -eq 2 ] || fail "restricted mode needs exactly one network besides lo (${interfaces[*]})"
fi

# Restricted mode: Docker gives the sandbox a default route even on an internal network, via a
# gateway address that Forge's network does not give the host. Nothing may answer there: a refusal
# or an accepted connection means a host is reachable around the proxy. A live host on a local
# bridge answers within microseconds, so one second without an answer (the kernel would give up on
# the address after about 3 s) means nobody is there. Runs in the background while the proxy is
# probed.
probing_gateway=false
if [ "$mode" = restricted ] && $default_route; then
  exec 5< <(timeout 1 bash -c "exec 3<>/dev/tcp/$gateway/80" 2>&1; echo "exit=$?")
  probing_gateway=true
fi

# Asks the proxy to open a tunnel; prints the HTTP status (000 when there was no answer).
proxy_status() {
  local status=''
  if exec 3<>"/dev/tcp/${proxy%:*}/${proxy##*:}"; then
    printf 'CONNECT %s HTTP/1.1\r\nHost: %s\r\n\r\n' "$1" "$1" >&3
    read -r -t 10 _ status _ <&3
    exec 3<&- 3>&-
  fi
  printf '%s' "${status:-000}"
}
allow_status=skipped deny_status=skipped
if [ "$mode" = restricted ]; then
  if [ "$allow_probe" != - ]; then
    allow_status=$(proxy_status "$allow_probe" 2>/dev/null)
    [ "$allow_status" = 200 ] \
      || fail "allowlisted $allow_probe is not reachable through the proxy (status $allow_status)"
  fi
  deny_status=$(proxy_status "$deny_probe" 2>/dev/null)
  [ "$deny_status" = 403 ] || fail "denied $deny_probe was not refused by the proxy (status $deny_status)"
fi
direct=untried
if $probing_gateway; then
  direct=$(cat <&5)
  exec 5<&-
  case $direct in
    *exit=0*) fail "a connection to the default gateway $gateway succeeded: direct egress is possible" ;;
    *"Connection refused"*) fail "a host answers at the default gateway $gateway: direct egress is possible" ;;
    *"No route to host"*|*exit=124*) direct="no answer from $gateway" ;;
    *) fail "could not tell whether $gateway answers: ${direct//$'\n'/ }" ;;
  esac
  # A host that drops the connection silently still answers ARP for the gateway address.
  while read -r address _ flags hardware _; do
    if [ "$address" = "$gateway" ] && [ "$flags" != 0x0 ]; then
      fail "a host ($hardware) holds the default gateway address $gateway: direct egress is possible"
    fi
  done < /proc/net/arp
fi

json_string() {
  local s=${1//\\/\\\\}
  s=${s//\"/\\\"}
  printf '"%s"' "${s//[$'\001'-$'\037']/ }"
}
json_list() {
  local first=true item
  printf '['
  for item in "$@"; do
    $first || printf ','
    first=false
    json_string "$item"
  done
  printf ']'
}
passed=true
[ ${#failed[@]} -eq 0 ] || passed=false
printf 'FORGE_PREFLIGHT {"passed":%s,"failed":%s,"uid":%s,"capEff":%s,"capBnd":%s,"noNewPrivs":%s,"seccomp":%s,"rootReadOnly":%s,"interfaces":%s,"defaultRoute":%s,"directEgress":%s,"network":%s,"allowedProbe":%s,"allowedStatus":%s,"deniedProbe":%s,"deniedStatus":%s}\n' \
  "$passed" "$(json_list "${failed[@]}")" "$UID" "$(json_string "$cap_eff")" \
  "$(json_string "$cap_bnd")" "$(json_string "$nnp")" "$(json_string "$seccomp")" \
  "$root_read_only" "$(json_list "${interfaces[@]}")" "$default_route" "$(json_string "$direct")" \
  "$(json_string "$mode")" \
  "$(json_string "$allow_probe")" "$(json_string "$allow_status")" \
  "$(json_string "$deny_probe")" "$(json_string "$deny_status")"
$passed || exit 125
exec "$@"
