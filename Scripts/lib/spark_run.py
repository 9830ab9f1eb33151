"""The Spark driver of Scripts/spark-run: runs `pipeline run PIPE --input - --output -` on every partition of a JSON
Lines input through RDD.pipe and saves the results as part files (part-00000, part-00001, ... which, concatenated in
name order, are the output of one plain run over the same input).

Pitfalls this handles (measured on this machine kind, ../shared/docs/platform-notes.md): `checkCode=True`, else a
worker that exits non-zero or early loses records silently; an explicit `env=` (PySpark replaces the whole
environment with it); a count of output records against input records; the tool's stderr, which never reaches
Spark's exception, is kept per partition and printed by the driver when a partition fails.
"""
import argparse, glob, os, shlex, shutil, sys, tempfile

ap = argparse.ArgumentParser()
ap.add_argument("--binary", required=True)
ap.add_argument("--resources", action="append", default=[])
ap.add_argument("--pipe", required=True)
ap.add_argument("--ship", action="append", default=[])
ap.add_argument("--plugin", action="append", default=[], help="a plugin library, shipped and loaded with --plugin")
ap.add_argument("--input", required=True)
ap.add_argument("--output", required=True)
ap.add_argument("--master", default=None, help="the master URL (under spark-submit, its --master applies)")
ap.add_argument("--partitions", type=int, default=0)
ap.add_argument("--on-error", default="fail")
args = ap.parse_args()

from pyspark import SparkFiles
from pyspark.sql import SparkSession

def remote(path):
    return "://" in path

# The input: one JSONL file, or the .jsonl/.jsonl.gz files of a folder in name order (the order `load jsonl` reads);
# a remote path (hdfs://, s3a://) is handed to Spark as it is.
if remote(args.input):
    files = [args.input]
elif os.path.isdir(args.input):
    files = sorted(glob.glob(os.path.join(args.input, "*.jsonl")) + glob.glob(os.path.join(args.input, "*.jsonl.gz")))
else:
    files = [args.input]
if not files:
    sys.exit(f"spark-run: error: no .jsonl files in {args.input}")
if not remote(args.output) and os.path.exists(args.output):
    sys.exit(f"spark-run: error: {args.output} exists; remove it or give another output folder")

builder = (SparkSession.builder.appName("pipeline " + os.path.basename(args.pipe)).config("spark.ui.enabled", "false")
           .config("spark.ui.showConsoleProgress", "false"))
if args.master:
    builder = builder.master(args.master)
spark = builder.getOrCreate()
spark.sparkContext.setLogLevel("ERROR")
sc = spark.sparkContext
sc.addFile(args.binary)
for r in args.resources:
    sc.addFile(r, recursive=True)
sc.addFile(args.pipe)
for f in args.ship + args.plugin:
    sc.addFile(f)

# Where each partition's stderr is kept (a folder the driver reads back in local mode; on a cluster the executors
# write to their own temporary folder and the messages are in the executor logs).
errors = tempfile.mkdtemp(prefix="spark-run-errors-")
command = ("if [ -x ./pipeline ]; then d=.; else d=\"$PIPELINE_HOME\"; fi; "
           "e=\"$PIPELINE_ERRORS\"; [ -d \"$e\" ] || e=\"${TMPDIR:-/tmp}\"; log=\"$e/partition-$$.err\"; "
           "cd \"$d\" && ./pipeline run " + shlex.quote(os.path.basename(args.pipe)) +
           " --input - --output - --jobs 1 --quiet --on-error " + shlex.quote(args.on_error) +
           "".join(" --plugin ./" + shlex.quote(os.path.basename(p)) for p in args.plugin) +
           " 2>\"$log\"; code=$?; cat \"$log\" >&2; [ $code -eq 0 ] && rm -f \"$log\"; exit $code")
env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
       "PIPELINE_HOME": SparkFiles.getRootDirectory(), "PIPELINE_ERRORS": errors}

lines = sc.textFile(",".join(f if remote(f) else os.path.abspath(f) for f in files),
                    minPartitions=args.partitions or sc.defaultParallelism)
records = lines.filter(lambda l: l.strip() != "")
try:
    records.pipe("/bin/sh -c " + shlex.quote(command), env=env, checkCode=True).saveAsTextFile(args.output)
except Exception as e:
    messages = []
    for p in sorted(glob.glob(os.path.join(errors, "*.err"))):
        text = open(p, encoding="utf-8", errors="replace").read().strip()
        if text:
            messages.append(text)
    print("spark-run: error: the pipeline failed on a partition; the Spark job was stopped", file=sys.stderr)
    for m in messages:
        print(m, file=sys.stderr)
    if not messages:
        print(str(e).splitlines()[0] if str(e) else repr(e), file=sys.stderr)
    if not remote(args.output):
        shutil.rmtree(args.output, ignore_errors=True)
    sys.exit(1)
finally:
    shutil.rmtree(errors, ignore_errors=True)

expected = records.count()
if remote(args.output):
    written, parts = sc.textFile(args.output).count(), None
else:
    parts = sorted(glob.glob(os.path.join(args.output, "part-*")))
    written = 0
    for p in parts:
        with open(p, "rb") as f:
            written += sum(1 for _ in f)
if written != expected:
    print(f"spark-run: error: {expected} records in, {written} out: records were lost", file=sys.stderr)
    sys.exit(1)
print(f"spark-run: {expected} records in {lines.getNumPartitions()} partitions, {written} out, in {args.output} "
      f"({len(parts) if parts is not None else 'remote'} part files)", file=sys.stderr)
spark.stop()
