"""Writes the reference outputs the encoder's tests compare with, from the reference implementations (Hugging Face
`tokenizers` and `transformers` on PyTorch) run on the base encoder's files:

  Tests/PipelineEncoderTests/Reference/tokenizer.jsonl  ids and offsets (Unicode scalars) of a few hundred texts and
                                                        text pairs written for this test
  Tests/PipelineEncoderTests/Reference/hidden.jsonl     the last hidden state of a handful of them (5 decimals)

    python Scripts/lib/encoder_reference.py MODEL_DIR OUT_DIR

Run through Scripts/make-encoder-references, which makes a throwaway virtualenv with Debian's python3-torch and
PyPI's transformers 4.36.2 (tokenizers 0.15.2). The texts are this file's own; no dataset text is used.
"""
import json
import os
import sys

BASE = [
    "France's defence minister arrived in Baghdad on Friday to discuss weapons sales.",
    "U.S. forces left Camp Taji after a string of rocket attacks blamed on militias.",
    "The central bank raised rates by 0.25 percentage points to 4.5%, its third rise this year.",
    "\"We will not accept this,\" the spokesman told the state-run news agency on Tuesday.",
    "Shares of Acme Corp. fell 3.2% to $41.50 in early trading in New York.",
    "A Russia-Iran-Syria-Iraq security coordination centre is still running, officials said.",
    "Prime Minister Jane Doe's office denied the report late on Wednesday night.",
    "Protesters gathered outside parliament; police used tear gas to disperse them.",
    "The talks, which began in Geneva (Switzerland) last week, ended without a deal.",
    "Egypt won praise from the United States for its role in the ceasefire.",
    "He didn't say whether the army would withdraw; she wouldn't comment either.",
    "Exports rose to 1,250,000 tonnes in 2026 -- up from 980,000 in 2025.",
    "Visit https://example.com/news/2026/11/20/story.html or write to desk@example.org.",
    "#Breaking: @newsdesk reports an explosion near the port at 10:30 local time.",
    "Café owners in São Paulo and Zürich complained about the new rules.",
    "Istanbul's mayor, Ekrem İmamoğlu, met Đorđe Petrović in Niš on Monday.",
    "Die Straße nach München war gesperrt, sagte der Sprecher.",
    "Η κυβέρνηση ανακοίνωσε νέα μέτρα για την οικονομία.",
    "Министр обороны России прибыл в Дамаск в субботу.",
    "قال وزير الخارجية إن المحادثات كانت بناءة.",
    "中国外交部发言人表示，双方将继续保持沟通。",
    "日本の首相は東京で記者会見を開いた。",
    "한국 정부는 새로운 경제 정책을 발표했다.",
    "Prices jumped 😮 after the announcement 🚀🚀 — analysts were stunned.",
    "The minister — who resigned in 2019 — returned to politics… briefly.",
    "«Nous ne céderons pas», a déclaré le président français.",
    "“It’s a historic day,” she said, ‘and we’re proud.’",
    "Tabs\tand\nnewlines\r\nand  double  spaces   everywhere.",
    "Zero\u200bwidth and soft\u00adhyphen and non\u00a0breaking space.",
    "Combining accents: e\u0301 a\u0300 o\u0308 n\u0303 are stripped.",
    "Fullwidth ＡＢＣ１２３ and ligatures ﬁ ﬂ stay as they are.",
    "Supercalifragilisticexpialidocious is long but not too long.",
    "Pneumonoultramicroscopicsilicovolcanoconiosis" * 3 + " is far too long for one word.",
    "The UN Security Council voted 13-0, with Russia and China abstaining.",
    "NATO's secretary-general said the alliance was \"ready to respond\".",
    "Inflation in the euro area slowed to 2.4% in November from 2.9% in October.",
    "The IMF approved a $3bn loan for Kenya on Thursday, its board said.",
    "Greece and Cyprus signed an energy deal worth €1.2 billion.",
    "India shelled Pakistani posts along the Line of Control, the army said.",
    "Brazil protested to Argentina over the detention of two fishermen.",
    "The World Bank's vice-president for Africa visited Nairobi and Addis Ababa.",
    "Sheikh Mohammed bin Rashid Al Maktoum inaugurated the new terminal.",
    "Maj. Gen. John Smith, the commander, said troops had secured the airfield.",
    "Mr. and Mrs. O'Neill-Brown moved from St. Louis to Washington, D.C.",
    "Ayatollah Ali Khamenei's representative spoke at Friday prayers in Tehran.",
    "THE HEADLINE IS WRITTEN IN CAPITAL LETTERS FOR EMPHASIS!",
    "numbers like 3.14159, 2/3, 1e-5, 10^6 and -42 appear in text.",
    "Symbols: $ % & * + = < > ^ ` | ~ \\ / [ ] { } ( ) all split apart.",
    "Ellipses... and dashes - and en–dashes and em—dashes.",
    "Control\u0007bell and\u001bescape characters vanish.",
    "Private use \ue000 and replacement \ufffd characters vanish too.",
    "Kyiv, Kharkiv and Odesa were hit by drones overnight, Ukraine's air force said.",
    "Al-Shabaab fighters attacked a base in southern Somalia, killing at least five soldiers.",
    "The Hezbollah-affiliated channel Al-Manar broadcast the speech.",
    "Sudan's RSF and the army agreed to a 72-hour truce, mediators said.",
    "Apple, Google and Microsoft reported quarterly results above forecasts.",
    "The EU's top court ruled that the fine of €4.34bn should stand.",
    "I can't believe it's not butter, he joked, to laughter.",
    "Mixed scripts: Moscow (Москва), Beijing (北京) and Athens (Αθήνα).",
    "A single word",
    "!",
    "",
]

TARGETS = ["France", "United States", "Egypt", "the minister", "Ekrem İmamoğlu", "NATO", "Москва", "北京",
           "Al-Shabaab", "IMF"]

HIDDEN = [
    ("France's defence minister arrived in Baghdad on Friday to discuss weapons sales.", None),
    ("Egypt won praise from the United States for its role in the ceasefire.", "United States"),
    ("Café owners in São Paulo complained — loudly.", None),
    ("Protesters gathered outside parliament; police used tear gas.", "police"),
]


def texts():
    out = []
    for b in BASE:
        out.append((b, None))
        out.append((b.upper(), None))
        out.append((b.lower(), None))
        out.append(("Update: " + b + " (Reporting by the desk)", None))
    for i, b in enumerate(BASE):
        out.append((b, TARGETS[i % len(TARGETS)]))
    return out


def main():
    model_dir, out_dir = sys.argv[1], sys.argv[2]
    from tokenizers import Tokenizer
    import torch
    from transformers import BertModel

    tok = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
    tok.no_padding()
    tok.no_truncation()
    with open(os.path.join(out_dir, "tokenizer.jsonl"), "w", encoding="utf-8") as f:
        for text, pair in texts():
            e = tok.encode(text, pair) if pair is not None else tok.encode(text)
            row = {"text": text, "pair": pair, "ids": e.ids, "segments": e.type_ids,
                   "offsets": [list(o) for o in e.offsets]}
            f.write(json.dumps(row, ensure_ascii=False) + "\n")

    torch.set_num_threads(1)
    model = BertModel.from_pretrained(model_dir, add_pooling_layer=False)
    model.eval()
    with open(os.path.join(out_dir, "hidden.jsonl"), "w", encoding="utf-8") as f:
        for text, pair in HIDDEN:
            e = tok.encode(text, pair) if pair is not None else tok.encode(text)
            with torch.no_grad():
                out = model(input_ids=torch.tensor([e.ids]), token_type_ids=torch.tensor([e.type_ids]),
                            attention_mask=torch.ones(1, len(e.ids), dtype=torch.long))
            states = out.last_hidden_state[0].tolist()
            row = {"text": text, "pair": pair, "ids": e.ids, "segments": e.type_ids,
                   "states": [[float(f"{v:.5f}") for v in r] for r in states]}
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
