#!/usr/bin/env bash
# What the Docker image would do, without a Docker engine: the Dockerfile's own publish command, then
# the published app started as the container starts it (Production, from its own folder), checked
# over HTTP, with a key issued by the published CLI. Never prints the key.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
publish="$work/publish"
app_log="$work/app.log"
cli_log="$work/cli.log"
app_pid=""

stop_app() {
    if [[ -n $app_pid ]] && kill -0 "$app_pid" 2>/dev/null; then
        kill -TERM "$app_pid"
        wait "$app_pid" 2>/dev/null || true
    fi
    app_pid=""
}
trap 'stop_app; rm -rf "$work"' EXIT

fail() {
    echo "publish smoke: FAILED: $*" >&2
    for log in "$app_log" "$cli_log"; do
        if [[ -s $log ]]; then
            echo "--- last lines of $(basename "$log")" >&2
            tail -n 40 "$log" >&2
        fi
    done
    exit 1
}

# The same command as the Dockerfile's build stage, from the same directory.
(cd "$root" && dotnet publish Heron.Web/Heron.Web.csproj -c Release -o "$publish") \
    || fail "dotnet publish"

export ASPNETCORE_ENVIRONMENT=Production
export ConnectionStrings__Heron="Data Source=$work/smoke.db"
# Production sends mail over SMTP or refuses to start; here the invitation goes to a file on purpose.
export Email__PickupDirectory="$work/mail"
# Production encrypts its key ring at rest or refuses to start: a throwaway certificate, as a deployment mounts its own.
if command -v openssl >/dev/null; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=heron-publish-smoke" \
        -keyout "$work/dp.key" -out "$work/dp.crt" 2>/dev/null || fail "openssl could not make a certificate"
    openssl pkcs12 -export -inkey "$work/dp.key" -in "$work/dp.crt" -out "$work/dp.pfx" -passout pass:smoke \
        || fail "openssl could not write the PFX"
    export DataProtection__CertificatePath="$work/dp.pfx" DataProtection__CertificatePassword=smoke
else
    echo "publish smoke: openssl not found; running with DataProtection:AllowUnencrypted=true" >&2
    export DataProtection__AllowUnencrypted=true
fi

heron() { # runs a CLI verb of the published app; stdout is its result, logs go to cli.log
    (cd "$publish" && dotnet Heron.Web.dll "$@") 2>>"$cli_log"
}

# Port 0: the OS picks a free port, and Kestrel logs the address it got.
(cd "$publish" && exec dotnet Heron.Web.dll --urls "http://127.0.0.1:0") >"$app_log" 2>&1 &
app_pid=$!

base_url=""
for _ in $(seq 300); do # up to 30 s for the app to say where it listens
    base_url="$(grep -o 'http://127\.0\.0\.1:[0-9]\+' "$app_log" | head -n 1 || true)"
    [[ -n $base_url ]] && break
    kill -0 "$app_pid" 2>/dev/null || fail "the app exited during start-up"
    sleep 0.1
done
[[ -n $base_url ]] || fail "the app did not report a listening address within 30 s"

ready=""
for _ in $(seq 150); do # up to 30 s for the database check to pass
    if curl -fsS -o /dev/null --max-time 2 "$base_url/health/ready"; then
        ready=yes
        break
    fi
    sleep 0.2
done
[[ -n $ready ]] || fail "/health/ready did not answer 200 within 30 s"

status() { curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$@"; }

[[ $(status "$base_url/api/hello_world") == 200 ]] || fail "GET /api/hello_world did not answer 200"

slug="$(heron onboard --organization Smoke --email smoke@example.com)" || fail "the onboard verb failed"
[[ $slug =~ ^[a-z0-9-]+$ ]] || fail "onboard printed '$slug', not a slug"

token="$(heron issue-key --organization "$slug" --environment development --name smoke)" || fail "the issue-key verb failed"
[[ $token =~ ^key_[0-9a-f]{48}$ ]] || fail "issue-key printed something other than a key (not shown)"

# The key goes to curl through a file descriptor, so it is never on a command line.
with_key="$(status --header @<(printf 'x-api-key: %s\n' "$token") "$base_url/api/hello_world/authenticated")"
[[ $with_key == 200 ]] || fail "GET /api/hello_world/authenticated with the issued key answered $with_key, not 200"
without_key="$(status "$base_url/api/hello_world/authenticated")"
[[ $without_key == 401 ]] || fail "GET /api/hello_world/authenticated without a key answered $without_key, not 401"

if [[ -n ${DataProtection__CertificatePath:-} ]] && grep -q "No XML encryptor configured" "$app_log" "$cli_log"; then
    fail "a Data Protection key was stored unencrypted despite DataProtection:CertificatePath"
fi

stop_app
echo "publish smoke: OK (published app ready, hello_world 200, CLI-issued key 200, no key 401)"
