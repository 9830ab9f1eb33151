"""Fine-tunes the base encoder (all-MiniLM-L6-v2) for sentiment or stance toward a target, with low-rank adapters
(LoRA) on every linear layer of the encoder, its layer norms and a classification head trained, the base weights
frozen. Run by `pipeline train stance encoder` (Scripts/train-stance-encoder sets up its Python). Training-only: it
runs on Debian's python3-torch (CPU) with PyPI's tokenizers; the model it writes is a safetensors file for the Swift
encoder.

    python train_stance_encoder.py --base DIR --train FILE [--dev NAME=FILE ...] --out FILE.safetensors
        [--epochs 2] [--rank 16] [--alpha 32] [--lr 5e-4] [--batch 32] [--max-pieces 96] [--seed 1] [--threads 2]
        [--class-weights none|balanced] [--pooling target|local] [--window 4] [--marking none|segment|late]
        [--mark-layers 2] [--adapters lora|full] [--several 1]

Two kinds of file, told apart by their first line, give two kinds of model:
- NewsMTSC's *.targets.jsonl (sentence, from, to, mention, polarity): a mention-level model (input "sentence").
  Input: [CLS] sentence [SEP] (cut to a window around the target when too long), so that one pass serves every target
  of a sentence (TD-BERT); the prediction reads the [CLS] vector and the mean of the target's own pieces.
- SemEval-2016 files (text, target, stance FAVOR/AGAINST/NONE): a document-level model (input "document") for a
  named target the text need not mention. Input: [CLS] text [SEP] target [SEP] (the text cut to fit); the prediction
  reads the [CLS] vector and the mean of the target name's pieces. FAVOR, AGAINST, NONE are written as positive,
  negative, neutral.
Mention-level models may also tell the encoder which pieces are the target's (--marking): `segment` gives them the
second segment embedding (the Swift stage then runs a pass per target); `late` adds a trained vector to them before
the last --mark-layers layers (the Swift stage runs the layers below once per sentence, the rest once per target).
With --adapters full every weight of the encoder is trained instead (full fine-tuning; the model file then holds all of
them, about 90 MB: for measuring, too large to ship; a learning rate near 5e-5 suits it).
At either level the two vectors (with --pooling local, mention-level only, a third: the mean of the pieces within --window
of the target, its own excluded), concatenated, go through one linear layer into negative / neutral / positive;
--several N shows each training example from a sentence with several targets N times an epoch (NewsMTSC's mt sets
hold only such sentences). --class-weights balanced weighs the loss of each class by the inverse of its frequency. AdamW, 10 %
linear warm-up then linear decay. Prints, after each epoch, the seconds it took and, on every --dev file, macro-F1
(mention-level) or F-avg, the mean F1 of positive and negative (document-level; SemEval's official measure): for
reporting, or for choosing settings on a held-out part of the training file (Scripts/cv-stance-encoder).

Deterministic for a seed on one machine with the same thread count. Sets OPENBLAS_CORETYPE from the CPU (as the
Swift loader does) before torch loads OpenBLAS: Debian's OpenBLAS took this VM's CPU for a Prescott (55 GFLOP/s on
two threads for a 1024x384x1536 product, 174 with the SkylakeX kernels).
"""
import argparse
import collections
import json
import math
import os
import random
import struct
import sys
import time


def choose_coretype():
    if os.environ.get("OPENBLAS_CORETYPE"):
        return
    flags = set()
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("flags"):
                flags = set(line.split(":", 1)[1].split())
                break
    except OSError:
        return
    if {"avx512f", "avx512bw", "avx512vl", "avx512dq"} <= flags:
        os.environ["OPENBLAS_CORETYPE"] = "SkylakeX"
    elif {"avx2", "fma"} <= flags:
        os.environ["OPENBLAS_CORETYPE"] = "Haswell"


choose_coretype()
import torch  # noqa: E402  (after OPENBLAS_CORETYPE)
from tokenizers import Tokenizer  # noqa: E402

LABELS = ["negative", "neutral", "positive"]


STANCES = {"AGAINST": 0, "NONE": 1, "FAVOR": 2}


def read_rows(path):
    """(text, start, end, target, label) per line; start and end are the target's span in the text (mention-level)
    or None (document-level). Returns the rows and the level."""
    rows, level = [], None
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                o = json.loads(line)
                kind = "document" if "stance" in o else "sentence"
                if level not in (None, kind):
                    sys.exit(f"{path}:{n}: a {kind}-level line in a file of {level}-level lines")
                level = kind
                if kind == "document":
                    if o["stance"] not in STANCES:
                        sys.exit(f"{path}:{n}: stance must be one of {sorted(STANCES)}")
                    rows.append((o["text"], None, None, o["target"], STANCES[o["stance"]]))
                else:
                    if o.get("polarity") not in LABELS:
                        sys.exit(f"{path}:{n}: polarity must be one of {LABELS}")
                    rows.append((o["sentence"], int(o["from"]), int(o["to"]), o["mention"],
                                 LABELS.index(o["polarity"])))
            except (KeyError, TypeError, ValueError) as e:
                sys.exit(f"{path}:{n}: {e!r}: expected sentence, from, to, mention, polarity or text, target, stance")
    if not rows:
        sys.exit(f"{path}: no examples")
    return rows, level


def neighbours(positions, first, last, window):
    """The positions within `window` pieces of the target's (`positions`), inside first...last, the target's own
    excluded; empty when the target has no pieces."""
    if not positions:
        return []
    lo, hi = max(first, positions[0] - window), min(last, positions[-1] + window)
    own = set(positions)
    return [p for p in range(lo, hi + 1) if p not in own]


def encode(tok, text, start, end, target, max_pieces, window, marking="none"):
    """ids, segments, the positions of the target's pieces and of its neighbours (within `window` pieces, mention-level
    only): in the sentence, which is cut around the target when too long (mention-level, start is not None); or in the
    second segment, the text cut to fit (document-level; no neighbours)."""
    s = tok.encode(text, add_special_tokens=False)
    if start is None:
        t = tok.encode(target, add_special_tokens=False).ids[:16]
        ids = s.ids[:max(1, max_pieces - 3 - len(t))]
        full = [101] + ids + [102] + t + [102]
        segments = [0] * (len(ids) + 2) + [1] * (len(t) + 1)
        return full, segments, list(range(len(ids) + 2, len(ids) + 2 + len(t))), []
    inside = [i for i, (a, b) in enumerate(s.offsets) if a < end and b > start]
    room = max_pieces - 2
    ids = s.ids
    first = 0
    if len(ids) > room:
        centre = (inside[0] + inside[-1]) // 2 if inside else 0
        first = max(0, min(len(ids) - room, centre - room // 2))
        ids = ids[first:first + room]
    positions = [i - first + 1 for i in inside if first <= i < first + len(ids)]
    segments = [0] * (len(ids) + 2)
    if marking == "segment":
        for p in positions:
            segments[p] = 1
    return [101] + ids + [102], segments, positions, neighbours(positions, 1, len(ids), window)


class LoRALinear(torch.nn.Module):
    """A frozen linear layer plus a trained low-rank update: W x + b + (alpha / r) B A x."""

    def __init__(self, base, rank, alpha, generator):
        super().__init__()
        self.base = base
        for p in self.base.parameters():
            p.requires_grad = False
        self.scale = alpha / rank
        self.a = torch.nn.Parameter(torch.empty(rank, base.in_features))
        self.b = torch.nn.Parameter(torch.zeros(base.out_features, rank))
        with torch.no_grad():
            bound = 1 / math.sqrt(base.in_features)
            self.a.uniform_(-bound, bound, generator=generator)

    def forward(self, x):
        return self.base(x) + (x @ self.a.t() @ self.b.t()) * self.scale


def add_adapters(bert, rank, alpha, generator):
    """Wraps every linear layer of the encoder in a LoRALinear (A drawn from `generator`, layer by layer) and makes its
    layer norms trainable; returns the wrapped layers by name."""
    adapted = {}
    for l, layer in enumerate(bert.encoder.layer):
        for name, parent, attr in [
            ("attention.self.query", layer.attention.self, "query"),
            ("attention.self.key", layer.attention.self, "key"),
            ("attention.self.value", layer.attention.self, "value"),
            ("attention.output.dense", layer.attention.output, "dense"),
            ("intermediate.dense", layer.intermediate, "dense"),
            ("output.dense", layer.output, "dense"),
        ]:
            wrapped = LoRALinear(getattr(parent, attr), rank, alpha, generator)
            setattr(parent, attr, wrapped)
            adapted[f"encoder.layer.{l}.{name}"] = wrapped
    for name, p in bert.named_parameters():
        if "LayerNorm" in name:
            p.requires_grad = True
    return adapted


def adapter_tensors(adapted):
    """The adapters as saved: A, and B with the scale folded in, under the base layer's name."""
    tensors = {}
    for name, m in adapted.items():
        tensors[f"{name}.lora_a"] = m.a.detach()
        tensors[f"{name}.lora_b"] = m.b.detach() * m.scale
    return tensors


def optimizer(trained, lr, epochs, examples, batch):
    """AdamW (weight decay 0.01) with 10 % linear warm-up then linear decay over the run's steps."""
    opt = torch.optim.AdamW(trained, lr=lr, weight_decay=0.01)
    steps = epochs * math.ceil(examples / batch)
    warm = max(1, steps // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: (s + 1) / warm if s < warm else max(0.0, (steps - s) / max(1, steps - warm)))
    return opt, sched


class Model(torch.nn.Module):
    def __init__(self, bert, rank, alpha, generator, pooling, marking, mark_layers, full=False):
        super().__init__()
        self.full = full
        self.bert = bert
        self.pooling = pooling
        self.marking = marking
        self.mark_layers = mark_layers
        # Late marking: a trained vector added to the target's pieces before the last `mark_layers` layers; drawn from
        # N(0, 1), as large as a hidden state's entries (started at zero it stayed near zero: norm 0.17 after 3 epochs).
        self.marker = None
        if marking == "late":
            self.marker = torch.nn.Parameter(torch.empty(bert.config.hidden_size))
            with torch.no_grad():
                self.marker.normal_(0, 1, generator=generator)
        for p in bert.parameters():
            p.requires_grad = full
        self.adapted = {} if full else add_adapters(bert, rank, alpha, generator)
        h = bert.config.hidden_size
        self.head = torch.nn.Linear((3 if pooling == "local" else 2) * h, len(LABELS))
        with torch.no_grad():
            self.head.weight.normal_(0, 0.02, generator=generator)
            self.head.bias.zero_()

    def forward(self, ids, segments, mask, target_mask, local_mask, mark_mask):
        if self.marking == "late":
            states = late_marked(self.bert, ids, segments, mask, mark_mask, self.marker, self.mark_layers)
        else:
            states = self.bert(input_ids=ids, token_type_ids=segments, attention_mask=mask).last_hidden_state
        return self.head(features(states, target_mask, local_mask, self.pooling == "local"))


def late_marked(bert, ids, segments, mask, mark_mask, marker, mark_layers):
    """The last hidden states with `marker` added to the pieces of `mark_mask` before the last `mark_layers` layers
    (late marking: the Swift stage runs the layers below once per sentence, the rest once per target)."""
    extended = bert.get_extended_attention_mask(mask, ids.shape)
    states = bert.embeddings(input_ids=ids, token_type_ids=segments)
    layers = bert.encoder.layer
    for i, layer in enumerate(layers):
        if i == len(layers) - mark_layers:
            states = states + mark_mask.unsqueeze(-1) * marker
        states = layer(states, attention_mask=extended)[0]
    return states


def features(states, target_mask, local_mask, local):
    """What the head reads: the [CLS] vector, the mean of the target's pieces and, for local pooling, of its
    neighbours', concatenated."""
    mean = lambda m: (states * (m / m.sum(1, keepdim=True).clamp(min=1)).unsqueeze(-1)).sum(1)
    parts = [states[:, 0], mean(target_mask)] + ([mean(local_mask)] if local else [])
    return torch.cat(parts, dim=-1)


def batches(examples, size, shuffle, generator):
    order = list(range(len(examples)))
    if shuffle:
        order = torch.randperm(len(order), generator=generator).tolist()
    for i in range(0, len(order), size):
        chunk = [examples[j] for j in order[i:i + size]]
        n = max(len(e[0]) for e in chunk)
        ids = torch.zeros(len(chunk), n, dtype=torch.long)
        seg = torch.zeros(len(chunk), n, dtype=torch.long)
        mask = torch.zeros(len(chunk), n, dtype=torch.long)
        tmask = torch.zeros(len(chunk), n)
        lmask = torch.zeros(len(chunk), n)
        mmask = torch.zeros(len(chunk), n)
        labels = torch.tensor([e[-1] for e in chunk])
        for r, (i_, s_, t_, l_, _) in enumerate(chunk):
            ids[r, :len(i_)] = torch.tensor(i_)
            seg[r, :len(s_)] = torch.tensor(s_)
            mask[r, :len(i_)] = 1
            for p in t_:
                tmask[r, p] = 1
                mmask[r, p] = 1
            if not t_:
                tmask[r, 0] = 1
            for p in l_ or t_ or [0]:
                lmask[r, p] = 1
        yield ids, seg, mask, tmask, lmask, mmask, labels


def f1_scores(gold, pred):
    f1s = []
    for c in range(len(LABELS)):
        tp = sum(1 for g, p in zip(gold, pred) if g == c and p == c)
        fp = sum(1 for g, p in zip(gold, pred) if g != c and p == c)
        fn = sum(1 for g, p in zip(gold, pred) if g == c and p != c)
        prec = tp / (tp + fp) if tp + fp else 0
        rec = tp / (tp + fn) if tp + fn else 0
        f1s.append(2 * prec * rec / (prec + rec) if prec + rec else 0)
    return f1s


def evaluate(model, examples, level, multi):
    """macro-F1 (mention-level) or F-avg, the mean F1 of positive and negative (document-level), in percent; and
    macro-F1 on the targets of sentences with several (`multi`: their indices; NewsMTSC's mt sets hold only such
    sentences), or None."""
    model.eval()
    pred, gold = [], []
    with torch.no_grad():
        for ids, seg, mask, tmask, lmask, mmask, labels in batches(examples, 64, False, None):
            pred += model(ids, seg, mask, tmask, lmask, mmask).argmax(-1).tolist()
            gold += labels.tolist()
    model.train()
    f1s = f1_scores(gold, pred)
    if level == "document":
        return 100 * (f1s[0] + f1s[2]) / 2, None
    mf1s = f1_scores([gold[i] for i in multi], [pred[i] for i in multi]) if multi else None
    return 100 * sum(f1s) / len(f1s), (100 * sum(mf1s) / len(mf1s) if mf1s else None)


def save(model, path, args):
    """The trained tensors (adapters as A and B, layer norms, head) as safetensors, float32, names as the base's."""
    tensors = adapter_tensors(model.adapted)
    for name, p in model.bert.named_parameters():
        if "LayerNorm" in name or model.full:
            tensors[name] = p.detach()
    tensors["head.weight"] = model.head.weight.detach()
    tensors["head.bias"] = model.head.bias.detach()
    if model.marker is not None:
        tensors["marker"] = model.marker.detach()
    metadata = {"labels": ",".join(LABELS), "rank": str(0 if model.full else args.rank),
                "base": "all-minilm-l6-v2", "max_pieces": str(args.max_pieces), "input": args.level}
    if model.full:
        metadata.update(adapters="full")
    if args.pooling == "local":
        metadata.update(pooling="local", window=str(args.window))
    if args.marking != "none":
        metadata.update(marking=args.marking)
    if args.marking == "late":
        metadata.update(mark_layers=str(args.mark_layers))
    write_safetensors(path, tensors, metadata)


def write_safetensors(path, tensors, metadata):
    """Writes `tensors` (sorted by name, float32) and `metadata` as a safetensors file, atomically."""
    header, offset, blobs = {}, 0, []
    for name in sorted(tensors):
        t = tensors[name].contiguous().float()
        data = t.numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    header["__metadata__"] = metadata
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * ((8 - len(raw) % 8) % 8)
    with open(path + ".tmp", "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for b in blobs:
            f.write(b)
    os.replace(path + ".tmp", path)


def run_epoch(batches, loss_of, opt, sched, epoch, every):
    """One pass over `batches`: each batch's loss (`loss_of(batch)`), a step of the optimizer and of its schedule;
    progress printed every `every` steps. Returns the mean loss."""
    t0 = time.time()
    total, k = 0.0, 0
    for k, batch in enumerate(batches, 1):
        loss = loss_of(batch)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        total += loss.item()
        if k % every == 0:
            print(f"  epoch {epoch} step {k}: loss {total / k:.4f}, {(time.time() - t0) / k:.2f} s/step", flush=True)
    return total / max(1, k)


def common_arguments(epochs, max_pieces):
    """The options both encoder training scripts take."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--train", required=True)
    ap.add_argument("--dev", action="append", default=[])
    ap.add_argument("--out", required=True)
    ap.add_argument("--epochs", type=int, default=epochs)
    ap.add_argument("--rank", type=int, default=16)
    ap.add_argument("--alpha", type=float, default=32)
    ap.add_argument("--lr", type=float, default=5e-4)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--max-pieces", type=int, default=max_pieces)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    return ap


def start(args):
    """Seeds every random choice, fixes the threads, asks for deterministic kernels; returns the generator of the
    weights' initial values and shuffling, and the base encoder's tokenizer (no padding, no truncation)."""
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    torch.set_num_threads(args.threads)
    torch.use_deterministic_algorithms(True)
    generator = torch.Generator().manual_seed(args.seed)
    tok = Tokenizer.from_file(os.path.join(args.base, "tokenizer.json"))
    tok.no_padding()
    tok.no_truncation()
    return generator, tok


def main():
    ap = common_arguments(epochs=2, max_pieces=96)
    ap.add_argument("--class-weights", choices=["none", "balanced"], default="none")
    ap.add_argument("--pooling", choices=["target", "local"], default="target")
    ap.add_argument("--window", type=int, default=4)
    ap.add_argument("--marking", choices=["none", "segment", "late"], default="none")
    ap.add_argument("--mark-layers", type=int, default=2)
    ap.add_argument("--adapters", choices=["lora", "full"], default="lora")
    ap.add_argument("--several", type=int, default=1)
    args = ap.parse_args()
    from transformers import BertModel

    generator, tok = start(args)

    def load(path):
        rows, level = read_rows(path)
        per_text = collections.Counter(r[0] for r in rows)
        multi = [i for i, r in enumerate(rows) if per_text[r[0]] > 1]
        return [(*encode(tok, s, a, b, m, args.max_pieces, args.window, args.marking), y)
                for s, a, b, m, y in rows], level, multi

    train, args.level, several = load(args.train)
    if args.several < 1:
        sys.exit("--several must be at least 1")
    train += [train[i] for i in several] * (args.several - 1)
    if args.pooling == "local" and args.level == "document":
        sys.exit("--pooling local is for mention-level models (NewsMTSC files)")
    if args.marking != "none" and args.level == "document":
        sys.exit("--marking is for mention-level models (NewsMTSC files)")
    if not 1 <= args.mark_layers <= 6:
        sys.exit("--mark-layers must be between 1 and the encoder's layers (6)")
    devs = []
    for d in args.dev:
        name, path = d.split("=", 1)
        examples, level, multi = load(path)
        if level != args.level:
            sys.exit(f"{path}: {level}-level lines, but the training file's are {args.level}-level")
        devs.append((name, examples, multi if len(multi) >= 50 else []))
    bert = BertModel.from_pretrained(args.base, add_pooling_layer=False)
    model = Model(bert, args.rank, args.alpha, generator, args.pooling, args.marking, args.mark_layers,
                  args.adapters == "full")
    model.train()
    trained = [p for p in model.parameters() if p.requires_grad]
    print(f"train {len(train)} {'targets' if args.level == 'sentence' else 'documents'} ({args.level}-level); trained parameters {sum(p.numel() for p in trained):,}; "
          f"OpenBLAS core {os.environ.get('OPENBLAS_CORETYPE', 'auto')}", flush=True)
    opt, sched = optimizer(trained, args.lr, args.epochs, len(train), args.batch)
    weights = None
    if args.class_weights == "balanced":
        counts = torch.bincount(torch.tensor([e[-1] for e in train]), minlength=len(LABELS)).float()
        weights = counts.sum() / (len(LABELS) * counts.clamp(min=1))
    loss_fn = torch.nn.CrossEntropyLoss(weight=weights)
    for epoch in range(1, args.epochs + 1):
        t0 = time.time()
        loss = run_epoch(batches(train, args.batch, True, generator), lambda b: loss_fn(model(*b[:6]), b[6]),
                         opt, sched, epoch, every=50)
        scores = []
        for name, ex, multi in devs:
            score, multi_score = evaluate(model, ex, args.level, multi)
            scores.append(f"{name} {score:.1f}" + (f" {name}-multi {multi_score:.1f}" if multi_score is not None else ""))
        scores = " ".join(scores)
        metric = "F-avg" if args.level == "document" else "macro-F1"
        print(f"epoch {epoch}: {time.time() - t0:.0f} s, loss {loss:.4f}; {metric} {scores}", flush=True)
    save(model, args.out, args)
    print(f"wrote {args.out} ({os.path.getsize(args.out):,} bytes)")


if __name__ == "__main__":
    main()
