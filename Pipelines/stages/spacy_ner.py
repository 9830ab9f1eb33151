#!/usr/bin/env python3
"""Named entities from spaCy as a pipeline stage (needs `pip install spacy` and a model such as en_core_web_sm).

    extract command run=["python3", "Pipelines/stages/spacy_ner.py"] model="en_core_web_sm"

spaCy's OntoNotes labels are mapped to the CoNLL types (PERSON→PER, ORG→ORG, GPE/LOC/FAC→LOC, NORP/EVENT/...→MISC,
DATE/TIME→DATE); the original label is kept as `label`. Offsets are Python string indices, i.e. code points, as the
document schema requires.
"""
import json
import sys

HANDSHAKE = {
    "name": "spacy_ner",
    "kind": "extract",
    "help": "named entities from a spaCy model",
    "requires": ["text"],
    "provides": ["entities"],
    "options": [
        {"name": "model", "type": "string", "default": "en_core_web_sm", "help": "spaCy model to load"},
    ],
}

TYPES = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC", "NORP": "MISC", "EVENT": "MISC",
         "WORK_OF_ART": "MISC", "LAW": "MISC", "LANGUAGE": "MISC", "PRODUCT": "MISC", "DATE": "DATE", "TIME": "DATE"}


def main():
    try:
        import spacy
    except ImportError:
        print("spaCy is not installed: pip install spacy && python -m spacy download en_core_web_sm", file=sys.stderr)
        sys.exit(1)
    print(json.dumps(HANDSHAKE), flush=True)
    options = json.loads(sys.stdin.readline() or "{}").get("options", {})
    name = options.get("model", "en_core_web_sm")
    try:
        nlp = spacy.load(name, disable=["lemmatizer"])
    except OSError as e:
        print(f"cannot load spaCy model {name}: {e}", file=sys.stderr)
        sys.exit(1)
    for line in sys.stdin:
        if not line.strip():
            continue
        doc = json.loads(line)
        parsed = nlp(doc.get("text", ""))
        doc["entities"] = [
            {"start": e.start_char, "end": e.end_char, "text": e.text, "type": TYPES.get(e.label_, "MISC"),
             "label": e.label_}
            for e in parsed.ents if e.label_ in TYPES
        ]
        print(json.dumps(doc, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
