"""Writes the reference the encoder entity tagger's tests compare with: for a handful of sentences written for this
test (as words), each word's tag log-probabilities and the Viterbi tags, from the shipped model
(Sources/PipelineStages/Resources/entities-encoder.model) merged into a plain Hugging Face BertModel on PyTorch, the
word windows, shapes and decoding of the training script:

  Tests/PipelineEncoderTests/Reference/tagger.jsonl   {"words", "logprobs" (4 decimals), "tags"} per sentence

    python Scripts/lib/tagger_reference.py MODEL_DIR TAGGER_MODEL OUT_DIR

Run through Scripts/make-encoder-references. No dataset text is used.
"""
import json
import os
import struct
import sys

SENTENCES = [
    "France 's defence minister Florence Parly arrived in Baghdad on Friday .",
    "U.S. forces left Camp Taji after rocket attacks blamed on Kataib Hezbollah .",
    "SOCCER - MANCHESTER UNITED BEAT ARSENAL 2-1 AT OLD TRAFFORD .",
    "shares of acme corp fell in new york , said analyst jane doe .",
    "The World Bank approved a $ 3bn loan for Kenya , its board said on Thursday .",
    "Ekrem İmamoğlu met Đorđe Petrović in Niš ; the talks were \" constructive \" .",
    "iPhone maker Apple and eBay reported results , while the NASDAQ rose 1.2 % .",
    " ".join(["The", "European", "Commission", "said"] + ["officials", "from", "Germany", "and", "Italy", "met"] * 25 + ["."]),
]


def read(path):
    import numpy as np
    import torch
    b = open(path, "rb").read()
    n = struct.unpack("<Q", b[:8])[0]
    h = json.loads(b[8:8 + n])
    out = {}
    for k, v in h.items():
        if k == "__metadata__":
            continue
        s, e = v["data_offsets"]
        out[k] = torch.from_numpy(np.frombuffer(b[8 + n + s:8 + n + e], dtype=np.float32).copy()).reshape(v["shape"])
    return out, h["__metadata__"]


def main():
    model_dir, tagger, out_dir = sys.argv[1], sys.argv[2], sys.argv[3]
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../Sources/PipelineStages/Resources"))
    import train_entity_encoder as t
    import torch
    from tokenizers import Tokenizer
    from transformers import BertModel

    tensors, meta = read(tagger)
    torch.set_num_threads(1)
    bert = BertModel.from_pretrained(model_dir, add_pooling_layer=False)
    bert.eval()
    bert.embeddings.token_type_embeddings = torch.nn.Embedding(t.SHAPES, bert.config.hidden_size)
    state = bert.state_dict()
    for name, value in tensors.items():
        if name.endswith(".lora_a"):
            stem = name[:-len(".lora_a")]
            state[stem + ".weight"] = state[stem + ".weight"] + tensors[stem + ".lora_b"] @ value
        elif not name.endswith(".lora_b") and not name.startswith("head."):
            state[name] = value
    bert.load_state_dict(state)
    tok = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
    tok.no_padding()
    tok.no_truncation()
    with open(os.path.join(out_dir, "tagger.jsonl"), "w", encoding="utf-8") as f:
        for sentence in SENTENCES:
            words = sentence.split(" ")
            rows = [[0.0] + [-1e9] * (len(t.TAGS) - 1) for _ in words]
            for ids, shapes, firsts, ws in t.windows(tok, words, int(meta["max_pieces"])):
                with torch.no_grad():
                    states = bert(input_ids=torch.tensor([ids]), token_type_ids=torch.tensor([shapes]),
                                  attention_mask=torch.ones(1, len(ids), dtype=torch.long)).last_hidden_state[0]
                    logp = (states @ tensors["head.weight"].t() + tensors["head.bias"]).log_softmax(-1)
                for w, p in zip(ws, firsts):
                    if p >= 0:
                        rows[w] = logp[p].tolist()
            row = {"words": words, "logprobs": [[round(v, 4) for v in r] for r in rows],
                   "tags": [t.TAGS[k] for k in t.viterbi(rows)]}
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
