"""Fine-tunes the base encoder (all-MiniLM-L6-v2) as a named-entity tagger: low-rank adapters (LoRA) on every linear
layer of the encoder, its layer norms, a case embedding and a linear layer from each word's first piece to its BIO
tag trained, the base weights frozen. Run by `pipeline train extract entities --setting tagger=encoder` (Scripts/
train-entity-encoder sets up its Python). Training-only: it runs on Debian's python3-torch (CPU) with PyPI's
tokenizers; the model it writes is a safetensors file for the Swift stage (`extract entities model=encoder`).

    python train_entity_encoder.py --base DIR --train FILE.conll [--dev [NAME=]FILE.conll ...] --out FILE
        [--epochs 3] [--rank 16] [--alpha 32] [--lr 5e-4] [--batch 32] [--max-pieces 128] [--seed 1] [--threads 2]

Input: CoNLL-2003 files (one token per line, its tag in the last column, IOB1 or BIO, `-DOCSTART-` lines and blank
lines between sentences). A sentence's words are joined by spaces and cut into word pieces; a sentence longer than
--max-pieces is read in consecutive windows of whole words. The base encoder is uncased, so each piece also gets a
trained embedding of its word's shape (in the token-type slot: 0 for [CLS] and [SEP], then no letters, lower case,
capitalised or a single capital, all capitals, other), which gives the tagger back what lower-casing took away. The
tag of a word is read from its first piece; decoding is Viterbi over the tags' log-probabilities with the transitions
BIO forbids (an I- tag only after a B- or I- of its type). AdamW, 10 % linear warm-up then linear decay. Prints,
after each epoch, the seconds it took and, on every --dev file, the exact-span F1 (overall and per type), as
`epoch 2: 600 s, loss 0.0312; dev F1 91.20 PER 95.00 ORG 87.10 LOC 93.40 MISC 86.00`: for reporting, or for choosing
settings on a held-out part of the training file (Scripts/cv-entity-encoder).

Deterministic for a seed on one machine with the same thread count.
"""
import os
import sys
import time
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from train_stance_encoder import (  # noqa: E402
    adapter_tensors, add_adapters, common_arguments, optimizer, run_epoch, start, torch, write_safetensors)

TYPES = ["PER", "ORG", "LOC", "MISC"]
TAGS = ["O"] + [f"{p}-{t}" for t in TYPES for p in ("B", "I")]
SHAPES = 6  # 0 special, 1 no letters, 2 lower, 3 capitalised, 4 capitals, 5 other


def shape(word):
    """The case class of a word, from the Unicode general categories of its letters (as the Swift stage computes it):
    1 no letters, 2 all lower case, 3 a capital then lower case (or one capital), 4 all capitals, 5 other."""
    letters = [unicodedata.category(c) for c in word if unicodedata.category(c).startswith("L")]
    if not letters:
        return 1
    if all(c == "Ll" for c in letters):
        return 2
    if letters[0] == "Lu" and all(c == "Ll" for c in letters[1:]):
        return 3
    if all(c == "Lu" for c in letters):
        return 4
    return 5


def read_conll(path):
    """Sentences as (words, BIO tags); IOB1 is converted to BIO (an I- that starts a name becomes B-)."""
    sentences, words, tags = [], [], []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            parts = line.split()
            if not parts or parts[0] == "-DOCSTART-":
                if words:
                    sentences.append((words, tags))
                words, tags = [], []
                continue
            tag = parts[-1]
            if len(parts) < 2 or (tag != "O" and (tag[:2] not in ("B-", "I-") or tag[2:] not in TYPES)):
                sys.exit(f"{path}:{n}: expected a word and a tag (O, B-TYPE or I-TYPE; TYPE one of {TYPES})")
            if tag.startswith("I-") and (not tags or tags[-1] == "O" or tags[-1][2:] != tag[2:]):
                tag = "B-" + tag[2:]
            words.append(parts[0])
            tags.append(tag)
    if words:
        sentences.append((words, tags))
    if not sentences:
        sys.exit(f"{path}: no sentences")
    return sentences


def windows(tok, words, max_pieces):
    """The sentence as windows of whole words that fit: (ids, shapes, first piece of each word or -1, word indices)."""
    text = " ".join(words)
    starts, at = [], 0
    for w in words:
        starts.append(at)
        at += len(w) + 1
    enc = tok.encode(text, add_special_tokens=False)
    per_word = [[] for _ in words]
    k = 0
    for p, (a, _) in enumerate(enc.offsets):
        while k + 1 < len(words) and starts[k + 1] <= a:
            k += 1
        per_word[k].append(enc.ids[p])
    room = max_pieces - 2
    out, cur = [], []
    for i, ps in enumerate(per_word):
        if cur and sum(len(per_word[j][:room]) for j in cur) + len(ps[:room]) > room:
            out.append(cur)
            cur = []
        cur.append(i)
    if cur:
        out.append(cur)
    result = []
    for ws in out:
        ids, shapes, firsts = [101], [0], []
        for i in ws:
            ps = per_word[i][:room]
            firsts.append(len(ids) if ps else -1)
            ids += ps
            shapes += [shape(words[i])] * len(ps)
        result.append((ids + [102], shapes + [0], firsts, ws))
    return result


class Tagger(torch.nn.Module):
    def __init__(self, bert, rank, alpha, generator):
        super().__init__()
        self.bert = bert
        for p in bert.parameters():
            p.requires_grad = False
        self.adapted = add_adapters(bert, rank, alpha, generator)
        h = bert.config.hidden_size
        # The case embedding takes the token-type slot, every row starting as the base's first segment's.
        shapes = torch.nn.Embedding(SHAPES, h)
        with torch.no_grad():
            shapes.weight.copy_(bert.embeddings.token_type_embeddings.weight[0].expand(SHAPES, h))
        bert.embeddings.token_type_embeddings = shapes
        self.head = torch.nn.Linear(h, len(TAGS))
        with torch.no_grad():
            self.head.weight.normal_(0, 0.02, generator=generator)
            self.head.bias.zero_()

    def forward(self, ids, shapes, mask):
        return self.head(self.bert(input_ids=ids, token_type_ids=shapes, attention_mask=mask).last_hidden_state)


def batches(examples, size, shuffle, generator):
    order = torch.randperm(len(examples), generator=generator).tolist() if shuffle else list(range(len(examples)))
    for i in range(0, len(order), size):
        chunk = [examples[j] for j in order[i:i + size]]
        n = max(len(e[0]) for e in chunk)
        ids = torch.zeros(len(chunk), n, dtype=torch.long)
        shp = torch.zeros(len(chunk), n, dtype=torch.long)
        mask = torch.zeros(len(chunk), n, dtype=torch.long)
        labels = torch.full((len(chunk), n), -100, dtype=torch.long)
        for r, (i_, s_, f_, y_) in enumerate(e[:4] for e in chunk):
            ids[r, :len(i_)] = torch.tensor(i_)
            shp[r, :len(s_)] = torch.tensor(s_)
            mask[r, :len(i_)] = 1
            for p, y in zip(f_, y_):
                if p >= 0:
                    labels[r, p] = y
        yield ids, shp, mask, labels, chunk


def allowed(a, b):
    """Whether tag b may follow tag a (BIO)."""
    tb = TAGS[b]
    return not tb.startswith("I-") or (TAGS[a] != "O" and TAGS[a][2:] == tb[2:])


def viterbi(scores):
    """The best BIO-valid tag sequence for per-word log-probabilities (a list of lists)."""
    if not scores:
        return []
    n = len(TAGS)
    best = [s if not TAGS[t].startswith("I-") else -1e9 for t, s in enumerate(scores[0])]
    back = []
    for row in scores[1:]:
        nxt, ptr = [], []
        for b in range(n):
            cands = [(best[a], a) for a in range(n) if allowed(a, b)]
            v, a = max(cands)
            nxt.append(v + row[b])
            ptr.append(a)
        best = nxt
        back.append(ptr)
    t = max(range(n), key=lambda k: best[k])
    path = [t]
    for ptr in reversed(back):
        t = ptr[t]
        path.append(t)
    return path[::-1]


def spans(tags):
    out, start = set(), None
    for i, t in enumerate(list(tags) + ["O"]):
        if start is not None and not (t.startswith("I-") and t[2:] == tags[start][2:]):
            out.add((start, i, tags[start][2:]))
            start = None
        if t.startswith("B-"):
            start = i
    return out


def evaluate(model, sentences, encoded):
    """Exact-span F1 (percent), overall and per type."""
    model.eval()
    pred = [["O"] * len(w) for w, _ in sentences]
    with torch.no_grad():
        for ids, shp, mask, _, chunk in batches(encoded, 64, False, None):
            logp = model(ids, shp, mask).log_softmax(-1)
            for r, (_, _, firsts, _, sentence, words) in enumerate(chunk):
                rows = [logp[r, p].tolist() if p >= 0 else [0.0] + [-1e9] * (len(TAGS) - 1) for p in firsts]
                for i, t in zip(words, viterbi(rows)):
                    pred[sentence][i] = TAGS[t]
    model.train()
    counts = {t: [0, 0, 0] for t in TYPES}
    for (_, gold), p in zip(sentences, pred):
        g, q = spans(gold), spans(p)
        for s in q:
            counts[s[2]][1] += 1
            if s in g:
                counts[s[2]][0] += 1
        for s in g:
            counts[s[2]][2] += 1
    f = lambda tp, np_, ng: 200 * tp / (np_ + ng) if np_ + ng else 0.0
    total = [sum(c[i] for c in counts.values()) for i in range(3)]
    return f(*total), {t: f(*c) for t, c in counts.items()}


def main():
    ap = common_arguments(epochs=3, max_pieces=128)
    args = ap.parse_args()
    from transformers import BertModel

    generator, tok = start(args)

    def load(path):
        sentences = read_conll(path)
        encoded = []
        for s, (words, tags) in enumerate(sentences):
            for ids, shapes, firsts, ws in windows(tok, words, args.max_pieces):
                # ids, shapes, first piece of each word, tag ids, sentence index, word indices
                encoded.append([ids, shapes, firsts, [TAGS.index(tags[i]) for i in ws], s, ws])
        return sentences, encoded

    _, train = load(args.train)
    devs = [(d.split("=", 1)[0] if "=" in d else "dev", *load(d.split("=", 1)[-1])) for d in args.dev]
    bert = BertModel.from_pretrained(args.base, add_pooling_layer=False)
    model = Tagger(bert, args.rank, args.alpha, generator)
    model.train()
    trained = [p for p in model.parameters() if p.requires_grad]
    print(f"train {len(train)} windows; trained parameters {sum(p.numel() for p in trained):,}; "
          f"OpenBLAS core {os.environ.get('OPENBLAS_CORETYPE', 'auto')}", flush=True)
    opt, sched = optimizer(trained, args.lr, args.epochs, len(train), args.batch)
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=-100)
    for epoch in range(1, args.epochs + 1):
        t0 = time.time()
        loss = run_epoch(batches(train, args.batch, True, generator),
                         lambda b: loss_fn(model(*b[:3]).reshape(-1, len(TAGS)), b[3].reshape(-1)),
                         opt, sched, epoch, every=100)
        scores = []
        for name, sentences, encoded in devs:
            f1, per = evaluate(model, sentences, encoded)
            scores.append(f"{name} F1 {f1:.2f} " + " ".join(f"{t} {v:.2f}" for t, v in per.items()))
        print(f"epoch {epoch}: {time.time() - t0:.0f} s, loss {loss:.4f}; " + "; ".join(scores), flush=True)
    tensors = adapter_tensors(model.adapted)
    for name, p in model.bert.named_parameters():
        if "LayerNorm" in name:
            tensors[name] = p.detach()
    tensors["embeddings.token_type_embeddings.weight"] = model.bert.embeddings.token_type_embeddings.weight.detach()
    tensors["head.weight"] = model.head.weight.detach()
    tensors["head.bias"] = model.head.bias.detach()
    write_safetensors(args.out, tensors, {
        "labels": ",".join(TAGS), "rank": str(args.rank), "base": "all-minilm-l6-v2",
        "max_pieces": str(args.max_pieces), "input": "tokens", "shapes": str(SHAPES)})
    print(f"wrote {args.out} ({os.path.getsize(args.out):,} bytes)")


if __name__ == "__main__":
    main()
