#!/usr/bin/env python3
"""A pipeline stage in Python (standard library only): the most frequent content words of each document as
`keyphrases`. Protocol (JSON Lines on stdin/stdout, see the README):

1. print one handshake line describing the stage;
2. read one line {"options": {...}} with the values from the .pipe line;
3. for every input line (a document), print exactly one line: the document with the new layer,
   or {"id": ..., "error": "message"} to report that this document cannot be processed.

Use it as:  extract command run=["python3", "Pipelines/stages/keywords.py"] top=5
"""
import json
import re
import sys
from collections import Counter

HANDSHAKE = {
    "name": "keywords",
    "kind": "extract",
    "help": "the most frequent content words as keyphrases",
    "requires": ["text"],
    "provides": ["keyphrases"],
    "options": [
        {"name": "top", "type": "int", "default": 5, "min": 1, "max": 100, "help": "how many keyphrases"},
        {"name": "min_length", "type": "int", "default": 4, "min": 1, "max": 30, "help": "shortest word counted"},
        {"name": "stopwords", "type": "list", "items": "string", "default": [], "help": "extra words to ignore"},
    ],
}

STOPWORDS = set("""
a about above after again against all also am an and any are as at be because been before being below between both
but by can could did do does doing down during each few for from further had has have having he her here hers him
his how i if in into is it its itself just me more most my no nor not now of off on once only or other our ours out
over own same she should so some such than that the their theirs them then there these they this those through to
too under until up very was we were what when where which while who whom why will with would you your said says
told year years week new one two three first last mr ms dr
""".split())

WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def keyphrases(text, top, min_length, extra):
    counts = Counter()
    shown = {}
    for m in WORD.finditer(text):
        word = m.group(0)
        key = word.lower()
        if len(key) < min_length or key in STOPWORDS or key in extra:
            continue
        counts[key] += 1
        shown.setdefault(key, word)
    total = sum(counts.values()) or 1
    return [{"text": shown[k], "score": round(c / total, 4)} for k, c in counts.most_common(top)]


def main():
    print(json.dumps(HANDSHAKE), flush=True)
    options = json.loads(sys.stdin.readline() or "{}").get("options", {})
    top = int(options.get("top", 5))
    min_length = int(options.get("min_length", 4))
    extra = {w.lower() for w in options.get("stopwords", [])}
    for line in sys.stdin:
        if not line.strip():
            continue
        doc = json.loads(line)
        try:
            doc["keyphrases"] = keyphrases(doc.get("text", ""), top, min_length, extra)
            print(json.dumps(doc, ensure_ascii=False), flush=True)
        except Exception as e:  # report this document's failure and go on
            print(json.dumps({"id": doc.get("id"), "error": str(e)}), flush=True)


if __name__ == "__main__":
    main()
