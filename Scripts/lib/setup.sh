# Shared set-up for Scripts/*: makes sure the system packages the build needs are installed, and that swift is on
# PATH. Sourced, not run. Installs only what is missing (apt-get update, then apt-get install), with sudo when not root.

PIPELINE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export PIPELINE_ROOT

# Debian packages: zlib (gzip input), libedit (REPL line editing), libstemmer (Snowball stemmers for keyphrases),
# libxml2 (HTML pages and RSS/Atom feeds), libsqlite3 (the `write sqlite` store, through GRDB),
# pkg-config (system-library flags).
PIPELINE_APT_PACKAGES=(zlib1g-dev libedit-dev libstemmer-dev libxml2-dev libsqlite3-dev pkg-config)

pipeline_log() { printf '%s\n' "$*" >&2; }

pipeline_install_packages() {
    local missing=() pkg status
    for pkg in "${PIPELINE_APT_PACKAGES[@]}"; do
        status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
        [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
    done
    [[ ${#missing[@]} -eq 0 ]] && return 0
    if ! command -v apt-get >/dev/null 2>&1; then
        pipeline_log "error: missing system packages (${missing[*]}) and no apt-get to install them; install them by hand"
        return 1
    fi
    local sudo=()
    if [[ "$(id -u)" -ne 0 ]]; then
        if command -v sudo >/dev/null 2>&1; then sudo=(sudo); else
            pipeline_log "error: missing system packages (${missing[*]}); run as root or install sudo"
            return 1
        fi
    fi
    pipeline_log "installing system packages: ${missing[*]}"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || {
        pipeline_log "error: apt-get update failed"; return 1; }
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 || {
        pipeline_log "error: apt-get install ${missing[*]} failed"; return 1; }
}

pipeline_find_swift() {
    if ! command -v swift >/dev/null 2>&1; then
        if [[ -x /opt/swift/usr/bin/swift ]]; then
            export PATH="/opt/swift/usr/bin:$PATH"
        else
            pipeline_log "error: swift not found; install Swift 6 (https://swift.org/install) and put it on PATH"
            return 1
        fi
    fi
}

pipeline_setup() {
    pipeline_install_packages && pipeline_find_swift
}
