"""The article-extraction benchmark's metric (scrapinghub/article-extraction-benchmark, evaluate.py), in our words.

Texts become `\\w+` tokens and then a multiset of 4-token shingles (a text shorter than four tokens is one shorter
shingle). Per page, TP/FP/FN are the multiset overlaps, normalised so that TP + FP + FN = 1. Precision is the mean of
the per-page precisions over pages with TP + FP > 0, recall the mean of per-page recalls over pages with TP + FN > 0
(a page with FP = FN = 0 scores 1 on both), F1 the harmonic mean of the two means. Accuracy: pages whose token
sequence equals the ground truth's.

    python3 Scripts/lib/article_score.py GROUND_TRUTH.jsonl PREDICTIONS.jsonl [FIELD]
prints f1, precision, recall and accuracy as JSON; FIELD (default: articleBody, else text) names the predicted text.
"""
import json
import re
import statistics
import sys
from collections import Counter

TOKEN = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)


def tokens(text):
    return TOKEN.findall(text or "")


def shingles(text, n=4):
    t = tokens(text)
    out = Counter()
    for i in range(0, max(1, len(t) - n + 1)):
        s = tuple(t[i:i + n])
        if s:
            out[s] += 1
    return out


def overlap(true, pred):
    a, b = shingles(true), shingles(pred)
    tp = fp = fn = 0.0
    for k in set(a) | set(b):
        x, y = a.get(k, 0), b.get(k, 0)
        tp += min(x, y)
        fp += max(0, y - x)
        fn += max(0, x - y)
    s = tp + fp + fn
    return (tp / s, fp / s, fn / s) if s > 0 else (tp, fp, fn)


def precision(tp, fp, fn):
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def recall(tp, fp, fn):
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


def score(gold, predicted):
    """gold, predicted: dicts id -> text. Returns f1, precision, recall, accuracy, n."""
    triples, exact = [], []
    for key, true in gold.items():
        pred = predicted.get(key, "")
        triples.append(overlap(true, pred))
        exact.append(float(tokens(true) == tokens(pred)))
    ps = [precision(*t) for t in triples if t[0] + t[1] > 0]
    rs = [recall(*t) for t in triples if t[0] + t[2] > 0]
    p = statistics.mean(ps) if ps else 0.0
    r = statistics.mean(rs) if rs else 0.0
    f1 = 2 * p * r / (p + r) if p + r > 0 else 0.0
    return {"f1": f1, "precision": p, "recall": r, "accuracy": statistics.mean(exact) if exact else 0.0, "n": len(gold)}


def read(path, field=None):
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                out[d["id"]] = d.get(field) if field else d.get("articleBody", d.get("text", ""))
    return out


if __name__ == "__main__":
    gold = read(sys.argv[1], "articleBody")
    pred = read(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
    print(json.dumps(score(gold, pred)))
