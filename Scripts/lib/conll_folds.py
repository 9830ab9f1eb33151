"""Splits a CoNLL file into K folds of whole documents (`-DOCSTART-` lines start them), shuffled with a seed:
OUT/trainI.conll holds every fold but I, OUT/heldI.conll fold I. Used by Scripts/cv-entities and
Scripts/cv-entity-encoder, so both hold out the same documents.
    python3 conll_folds.py FILE K SEED OUT"""
import random
import sys

path, k, seed, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
docs, cur = [], []
for line in open(path, encoding="utf-8"):
    if line.startswith("-DOCSTART-") and cur:
        docs.append(cur)
        cur = []
    cur.append(line)
if cur:
    docs.append(cur)
random.Random(seed).shuffle(docs)
for i in range(k):
    with open(f"{out}/train{i}.conll", "w", encoding="utf-8") as tr, \
            open(f"{out}/held{i}.conll", "w", encoding="utf-8") as he:
        for j, d in enumerate(docs):
            (he if j % k == i else tr).writelines(d)
print(f"{len(docs)} documents in {k} folds")
