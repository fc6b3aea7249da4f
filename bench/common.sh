# Shared by bench/run.sh, bench/compare.sh and bench/startup.sh (sourced, not run).

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

need() { # command apt-package: installs the package when the command is missing and this is root
  command -v "$1" >/dev/null 2>&1 && return
  if [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    log "installing $2"
    DEBIAN_FRONTEND=noninteractive apt-get install -y "$2" >/dev/null || {
      apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y "$2" >/dev/null; }
  else
    echo "$1 is missing: install the '$2' package" >&2; exit 1
  fi
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

cpu_ticks() { # utime + stime of a process, in clock ticks
  awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"
}

wait_ready() { # pid port log name seconds: until the instance answers /health/ready; exits if it dies or time runs out
  local deadline=$((SECONDS + $5))
  until curl -fs -o /dev/null "http://127.0.0.1:$2/health/ready"; do
    kill -0 "$1" 2>/dev/null || { tail -20 "$3" >&2; echo "instance $4 died" >&2; exit 1; }
    ((SECONDS < deadline)) || { tail -20 "$3" >&2; echo "instance $4 was not ready within $5 s" >&2; exit 1; }
    sleep 0.05
  done
}

publish_app() { # project-dir output-dir log: Heron.Web in Release
  dotnet publish "$1/Heron.Web/Heron.Web.csproj" -c Release -o "$2" -nologo -v q >"$3" 2>&1 \
    || { cat "$3" >&2; exit 1; }
}

# Production as deployed, for an instance whose database and key ring are thrown away afterwards.
bench_environment() { # work-dir
  export ASPNETCORE_ENVIRONMENT=Production
  # Production sends mail over SMTP or refuses to start; the benchmark writes its mail to files on purpose.
  export Email__PickupDirectory="$1/mail"
  # Production encrypts its key ring with a PFX or refuses to start; the benchmark's database is thrown away.
  export DataProtection__AllowUnencrypted=true
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
}

# Production logging (compact JSON on stdout), a database of the benchmark's own, and rate limiting left on
# with limits high enough that the benchmark measures verification rather than throttling:
#  - RateLimiting:PermitLimit applies to anonymous endpoints per client address (case a sends from one);
#  - the bench organization's override applies to its keys (case b);
#  - RateLimiting:RejectedPermitLimit applies to 401s per client address (the floods).
# Every request still goes through the counters and gets its x-ratelimit-* headers.
throughput_environment() { # work-dir database
  bench_environment "$1"
  export ConnectionStrings__Heron="Data Source=$2"
  export RateLimiting__PermitLimit=100000000
  export RateLimiting__Organizations__bench__PermitLimit=100000000
  export RateLimiting__RejectedPermitLimit=100000000
}
