"""The `stance encoder` model run by PyTorch instead of Swift, for Scripts/compare-stance-peers: the same base
encoder, adapters merged into its weights (W + B·A), the same layer norms and head, the same input and pooling as
the training script (Resources/train_stance_encoder.py, whose `encode` and target marking it uses). One pass per line of a NewsMTSC
*.targets.jsonl file, as the pipeline does with Pipelines/eval/newsmtsc.pipe; prints macro-F1, accuracy and lines/s
(tokenization and forward passes, batches of 32, `--threads` threads).

    python peer_stance.py --base DIR --model FILE --file FILE.targets.jsonl [--threads 1] [--batch 32]
"""
import argparse
import importlib.util
import os
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location(
    "train_stance_encoder", os.path.join(here, "../../Sources/PipelineStages/Resources/train_stance_encoder.py"))
train = importlib.util.module_from_spec(spec)
spec.loader.exec_module(train)  # sets OPENBLAS_CORETYPE before torch loads
import torch  # noqa: E402
from safetensors import safe_open  # noqa: E402
from safetensors.torch import load_file  # noqa: E402
from tokenizers import Tokenizer  # noqa: E402
from transformers import BertModel  # noqa: E402
from transformers.utils import logging  # noqa: E402

logging.set_verbosity_error()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--file", required=True)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--batch", type=int, default=32)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    tuned = load_file(args.model)
    with safe_open(args.model, "pt") as f:
        metadata = f.metadata() or {}
    local = metadata.get("pooling") == "local"
    window = int(metadata.get("window", 4))
    marking = metadata.get("marking", "none")
    mark_layers = int(metadata.get("mark_layers", 2))
    bert = BertModel.from_pretrained(args.base, add_pooling_layer=False).eval()
    state = bert.state_dict()
    with torch.no_grad():
        for name, tensor in tuned.items():
            if name.endswith(".lora_a"):
                stem = name[: -len(".lora_a")]
                state[stem + ".weight"] += tuned[stem + ".lora_b"] @ tensor
            elif name in state:
                state[name].copy_(tensor)
    bert.load_state_dict(state)
    head = torch.nn.Linear(tuned["head.weight"].shape[1], tuned["head.weight"].shape[0])
    with torch.no_grad():
        head.weight.copy_(tuned["head.weight"])
        head.bias.copy_(tuned["head.bias"])
    tok = Tokenizer.from_file(os.path.join(args.base, "tokenizer.json"))
    tok.no_padding()
    tok.no_truncation()
    rows, level = train.read_rows(args.file)
    if level != "sentence":
        sys.exit(f"{args.file}: a NewsMTSC *.targets.jsonl file is expected")
    started = time.perf_counter()
    examples = [(*train.encode(tok, s, a, b, m, 96, window, marking), y) for s, a, b, m, y in rows]
    pred, gold = [], []
    with torch.no_grad():
        for ids, seg, mask, tmask, lmask, mmask, labels in train.batches(examples, args.batch, False, None):
            if marking == "late":
                states = train.late_marked(bert, ids, seg, mask, mmask, tuned["marker"], mark_layers)
            else:
                states = bert(input_ids=ids, token_type_ids=seg, attention_mask=mask).last_hidden_state
            pred += head(train.features(states, tmask, lmask, local)).argmax(-1).tolist()
            gold += labels.tolist()
    seconds = time.perf_counter() - started
    f1 = train.f1_scores(gold, pred)
    accuracy = sum(g == p for g, p in zip(gold, pred)) / len(gold)
    print(f"macro-F1 {sum(f1) / 3:.3f} accuracy {accuracy:.3f} lines {len(gold)} seconds {seconds:.2f} "
          f"lines/s {len(gold) / seconds:.0f}")


if __name__ == "__main__":
    main()
