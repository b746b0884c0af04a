#!/usr/bin/env python3
"""Recall of letopis events against NEREL EVENT triggers, and how often their date and place match NEREL's relations.

    .venv/bin/python bench/nerel_events.py [--data /work/shared/data/NEREL/dev] [--out bench/results/nerel_events.json]
                                           [--limit N] [--show-misses]

NEREL dev (brat `.txt`/`.ann`, read where it lies) annotates EVENT entities: short trigger spans ("задержан",
"уйти в отставку", "акции протеста"), related to a DATE or TIME by POINT_IN_TIME (Arg1 the event, Arg2 the time;
START_TIME and END_TIME likewise) and to a place by TAKES_PLACE_IN (Arg1 the event, Arg2 a CITY, COUNTRY, DISTRICT,
STATE_OR_PROVINCE, LOCATION, FACILITY or ORGANIZATION), as NEREL's annotation.conf declares.

Each document goes through letopis whole (title line included, as NEREL annotates it) with no publication date,
so relative dates stay unresolved; only spans are compared. Events are the contract's (`chronicle`: negated and
hypothetical ones are left out).

- Selection: a NEREL EVENT belongs to a class when the lemmas of its trigger (pymorphy2, context free) hold every
  lemma of one of the class's PATTERNS below; the first class in table order wins. Wars named as backdrops
  ("Второй мировой войны") and genocides named as history ("Геноцид армян") like them, sports bouts ("бой",
  "поединок"), suicides, coups, repressions as a period ("репрессии") and sentences are left out on purpose;
  `resignation` also takes dismissals, abdications and an early end of powers ("уволил", "отречение", "досрочно
  прекратил полномочия"), `violence` takes crackdowns on protests ("разогнало вышедших на акцию", "подавлял
  протесты": that class comes first), beheadings and armed incidents, and "избит" (context free, its lemma is
  the adjective "избитый"). A death ("погиб") is violence by its lemma even where the text tells a crash or a bout:
  the selection reads the trigger, not its cause, so such deaths stay in the gold as misses.
  The selected lemma counts are printed so the choice can be checked.
- Recall: a gold trigger is found when a letopis event's trigger span (its event span if it has no trigger), or
  one of the event's further mentions (`trigger.mentions`: a backdrop, an elaboration, a heading or an outcome
  that letopis ties to the event instead of counting the occurrence twice, see extract/event_mentions.py), shares
  a character with one of the trigger's fragments; `R trigger` counts trigger spans only (one event per
  occurrence cannot find every coreferent NEREL mention that way). Reported per class, over the selection, and
  over ALL NEREL EVENTs for context; the most frequent lemma phrases of missed selected triggers follow, and the
  misses are split by whether any of their lemmas is in letopis's trigger table at all (if so, a rule of
  events.py kept it out: a noun without a support verb, an incomplete multiword trigger, a skip rule;
  `--show-misses` prints the reason each dropped match had, from `find_events(trace=...)`).
- Attachment: over found gold events that have a POINT_IN_TIME relation (date) or a TAKES_PLACE_IN relation
  (place), the share whose matched letopis event has a date (place) span overlapping one of the related NEREL
  arguments (when several letopis events match one trigger, any of them may carry it). A null prediction counts
  as wrong and is also counted on its own; `acc|pred` is the accuracy over non-null predictions, and `acc+words`
  also accepts a span elsewhere whose lemmas equal a related argument's (another mention of the same place or
  date: "Новая Шотландия" named twice). `date+start/end` widens the date relations to START_TIME and END_TIME.
  A null date is further counted when letopis did find a time on the related DATE (`null_time_found`) and when
  all such times are unresolved, with null start (`null_time_unresolved`: no publication date to count from; the
  event extractor only attaches resolved times).
- Unmatched: letopis events whose trigger overlaps no NEREL EVENT. NEREL annotates events sparsely, so these are
  not all errors; they are counted by letopis type.

The JSON holds counts and lemma phrases only (no NEREL text beyond trigger lemmas); `--show-misses` prints the
missed and misattached cases with their context to the terminal.
"""
from __future__ import annotations

import argparse
import json
import pathlib
import sys
import time
from collections import Counter

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from nerel import BratDoc, Entity, counts_table, lemmas, load_folder, run_letopis, to_document  # noqa: E402

# class → patterns; a pattern is lemmas separated by spaces, each with "|" alternatives, all of which must occur
PATTERNS: dict[str, tuple[str, ...]] = {
    "violence": (
        "убить|убивать|убийство|убийца|погибнуть|гибель|расстрел|расстрелять|застрелить",
        "стрельба|стрелять|перестрелка|обстрел|обстрелять|огонь|пуля",
        "нападение|напасть|нападать|атака|штурм|штурмовать",
        "взрыв|взорвать|взрываться|теракт|бомбардировка|бомбить",
        "избить|избиение|избивать|избитый|побои|драка|ранение|ранить|пострадать|насилие|погром|расправа",
        "изнасиловать|похитить|похищение|обезглавить|казнь|казнить",
        "отрубить|отсечь голова",
        "вооруженный инцидент|столкновение",
        "подавить|подавлять|подавление|разогнать|разгонять|разгон",
    ),
    "protest": (
        "протест|протестовать|митинг|митинговать|акция|марш|шествие|демонстрация|манифестация|пикет",
        "забастовка|стачка|бастовать|забастовать|голодовка|беспорядок|беспорядки",
        "массовый выступление",
    ),
    "arrest": (
        "задержать|задерживать|задержание|арестовать|арестовывать|арест",
        "стража",
    ),
    "resignation": (
        "отставка|уволить|увольнять|увольнение|уволиться",
        "сложить|слагать|прекратить полномочие",
        "покинуть|уйти|уход|лишиться|оставить пост",
        "снять|освободить должность",
        "отречение|отречься|отрекаться",
    ),
}
CLASSES = tuple(PATTERNS)
DATE_RELATIONS = ("POINT_IN_TIME",)
DATE_RELATIONS_WIDE = ("POINT_IN_TIME", "START_TIME", "END_TIME")
PLACE_RELATIONS = ("TAKES_PLACE_IN",)


def _compiled() -> dict[str, list[list[frozenset[str]]]]:
    return {c: [[frozenset(w.split("|")) for w in p.split()] for p in ps] for c, ps in PATTERNS.items()}


def classify(trigger_lemmas: tuple[str, ...]) -> tuple[str | None, str | None]:
    """(class, the lemma that decided it) of a trigger, or (None, None)."""
    have = set(trigger_lemmas)
    for cls, patterns in _compiled().items():
        for words in patterns:
            if all(ws & have for ws in words):
                return cls, next(iter(words[0] & have))
    return None, None


def trigger_heads() -> frozenset[str]:
    """Every lemma that can start or complete a letopis trigger (src/letopis/extract/lexicons/triggers.yaml)."""
    from letopis.extract.events import lexicon

    return lexicon().heads


def trigger_span(event: dict) -> tuple[int, int]:
    trig = event.get("trigger")
    return tuple(trig["span"]) if trig and trig.get("span") else tuple(event["span"])


def trigger_spans(event: dict, mentions: bool = True) -> list[tuple[int, int]]:
    """The trigger span and, with `mentions`, the further words that name the same event (`trigger.mentions`)."""
    more = (event.get("trigger") or {}).get("mentions") or [] if mentions else []
    return [trigger_span(event)] + [tuple(m) for m in more]


def _span(field: dict | None) -> tuple[int, int] | None:
    return tuple(field["span"]) if field and field.get("span") else None


def _attach(doc: BratDoc, matched: list[dict], args: list[Entity], key: str) -> str:
    """'ok', 'null' (no matched event has the field), 'same_words' (a wrong span whose lemmas are those of a
    related argument: another mention of the same place or date) or 'wrong'."""
    spans = [s for s in (_span(e.get(key)) for e in matched) if s]
    if any(a.overlaps(s) for s in spans for a in args):
        return "ok"
    if not spans:
        return "null"
    gold = {lemmas(a.text) for a in args}
    return "same_words" if any(lemmas(doc.text[s[0]:s[1]]) in gold for s in spans) else "wrong"


def evaluate(docs: list[BratDoc], contracts: list[dict], show: bool = False) -> dict:
    recall = {c: Counter(gold=0, found=0, by_trigger=0) for c in CLASSES + ("selected", "all")}
    attach = {k: Counter(gold=0, ok=0, wrong=0, null=0, same_words=0) for k in ("date", "date+start/end", "place")}
    for k in ("date", "date+start/end"):
        attach[k].update(null_time_found=0, null_time_unresolved=0)
    missed, chosen, unmatched = Counter(), Counter(), Counter()
    missed_known = Counter({"no triggers.yaml lemma": 0, "with a triggers.yaml lemma": 0})
    heads = trigger_heads()
    predicted = Counter()
    for doc, contract in zip(docs, contracts):
        events = contract["events"]
        golds = doc.of_type("EVENT")
        for ev in events:
            predicted[ev["type"]] += 1
            if not any(g.overlaps(s) for g in golds for s in trigger_spans(ev)):
                unmatched[ev["type"]] += 1
        for g in golds:
            lem = lemmas(g.text)
            cls, key = classify(lem)
            matched = [e for e in events if any(g.overlaps(s) for s in trigger_spans(e))]
            by_trigger = any(g.overlaps(trigger_span(e)) for e in events)
            groups = ("all",) + ((cls, "selected") if cls else ())
            for k in groups:
                recall[k]["gold"] += 1
                recall[k]["found"] += bool(matched)
                recall[k]["by_trigger"] += by_trigger
            if cls:
                chosen[f"{cls}: {key}"] += 1
                if not matched:
                    missed[" ".join(lem)] += 1
                    missed_known["with a triggers.yaml lemma" if set(lem) & heads else "no triggers.yaml lemma"] += 1
                    if show:
                        why = "; ".join(sorted(
                            {f"{d.trigger}: {d.reason}" for d in drop_reasons(doc) if g.overlaps(d.span)}
                            | {f"{e['trigger']['text']}: {e['modality']}" for e in _all_events(doc)
                               if g.overlaps(trigger_span(e))}))
                        print(f"MISS {cls:<12}{doc.name}: {_context(doc, g)}  [{why or 'no trigger match'}]")
            if not (cls and matched):
                continue
            for name, rels, field in (("date", DATE_RELATIONS, "date"), ("date+start/end", DATE_RELATIONS_WIDE, "date"),
                                      ("place", PLACE_RELATIONS, "location")):
                args = doc.related(g.id, *rels)
                if not args:
                    continue
                verdict = _attach(doc, matched, args, field)
                attach[name]["gold"] += 1
                attach[name][verdict] += 1
                attach[name]["wrong"] += verdict == "same_words"
                if verdict == "null" and field == "date":
                    found = [t for t in contract["times"] if any(a.overlaps(tuple(t["span"])) for a in args)]
                    attach[name]["null_time_found"] += bool(found)
                    attach[name]["null_time_unresolved"] += bool(found) and all(t["start"] is None for t in found)
                if show and verdict != "ok" and name != "date+start/end":
                    got = [e[field] and doc.text[slice(*_span(e[field]))] for e in matched]
                    print(f"{name.upper():<6}{verdict:<6}{doc.name}: {_context(doc, g)} gold={[a.text for a in args]}"
                          f" letopis={got}")
    return {
        "recall": {k: {**c, "R": _ratio(c["found"], c["gold"]), "R_by_trigger": _ratio(c["by_trigger"], c["gold"])}
                   for k, c in recall.items()},
        "attachment": {k: {**c, "accuracy": _ratio(c["ok"], c["gold"]),
                           "accuracy_same_words": _ratio(c["ok"] + c["same_words"], c["gold"]),
                           "accuracy_when_predicted": _ratio(c["ok"], c["ok"] + c["wrong"])}
                       for k, c in attach.items()},
        "selected_lemmas": dict(chosen.most_common()),
        "missed_lemmas": dict(missed.most_common()),
        "missed_by_lexicon": dict(missed_known),
        "letopis_events": sum(predicted.values()),
        "letopis_events_by_type": dict(predicted.most_common()),
        "letopis_unmatched": sum(unmatched.values()),
        "letopis_unmatched_by_type": dict(unmatched.most_common()),
    }


_EXPLAINED: dict[str, tuple[list, list[dict]]] = {}


def _explained(doc: BratDoc) -> tuple[list, list[dict]]:
    """Every letopis event of a document (all modalities) and the trigger matches it dropped, with their reasons
    (`--show-misses` only: the document is annotated again)."""
    from letopis.annotate.pipeline import annotate_documents
    from letopis.extract.contract import needs_parse
    from letopis.extract.events import find_events

    if doc.name not in _EXPLAINED:
        ann = annotate_documents([to_document(doc)], needs_parse)[0]
        trace: list = []
        found = find_events(doc.text, ann.analysis, ann.times, [f.span for f in ann.figures], ann.entity_name(),
                            trace)
        _EXPLAINED[doc.name] = trace, [e.to_json() for e in found]
    return _EXPLAINED[doc.name]


def drop_reasons(doc: BratDoc) -> list:
    return _explained(doc)[0]


def _all_events(doc: BratDoc) -> list[dict]:
    return _explained(doc)[1]


def _ratio(a: int, b: int) -> float:
    return round(a / b, 4) if b else 0.0


def _context(doc: BratDoc, e: Entity, width: int = 50) -> str:
    left = doc.text[max(0, e.start - width):e.start]
    right = doc.text[e.stop:e.stop + width]
    return " ".join(f"{left}[{doc.text[e.start:e.stop]}]{right}".split())


def run(folder: pathlib.Path, limit: int | None = None, show: bool = False) -> dict:
    docs = load_folder(folder, limit)
    t0 = time.perf_counter()
    contracts = run_letopis(docs)
    seconds = time.perf_counter() - t0
    report = evaluate(docs, contracts, show)
    return {"dataset": str(folder), "docs": len(docs), "seconds": round(seconds, 1), **report}


def table(report: dict) -> str:
    lines = [f"NEREL {report['docs']} docs, letopis {report['seconds']} s",
             "", "selected gold triggers (class: deciding lemma):",
             counts_table(list(report["selected_lemmas"].items())),
             "", f"{'recall':<16}{'gold':>6}{'found':>7}{'R':>8}{'R trigger':>11}"]
    for k, c in report["recall"].items():
        lines.append(f"{k:<16}{c['gold']:>6}{c['found']:>7}{c['R']:>8.3f}{c['R_by_trigger']:>11.3f}")
    lines += ["", f"{'attachment':<16}{'gold':>6}{'ok':>6}{'wrong':>7}{'null':>6}{'acc':>8}{'acc|pred':>10}"
                  f"{'acc+words':>11}"]
    for k, c in report["attachment"].items():
        lines.append(f"{k:<16}{c['gold']:>6}{c['ok']:>6}{c['wrong']:>7}{c['null']:>6}{c['accuracy']:>8.3f}"
                     f"{c['accuracy_when_predicted']:>10.3f}{c['accuracy_same_words']:>11.3f}")
    d = report["attachment"]["date"]
    lines.append(f"date null with a letopis time on the gold DATE: {d['null_time_found']} "
                 f"(all unresolved: {d['null_time_unresolved']})")
    lines += ["", "missed selected triggers: " + ", ".join(f"{v} {k}" for k, v in report["missed_by_lexicon"].items()),
              "top missed selected triggers (lemmas):",
              counts_table(list(report["missed_lemmas"].items())[:20]),
              "", f"letopis events {report['letopis_events']}, on no NEREL EVENT {report['letopis_unmatched']}:",
              counts_table([(t, f"{report['letopis_unmatched_by_type'].get(t, 0)}/{n}")
                            for t, n in report["letopis_events_by_type"].items()])]
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default="/work/shared/data/NEREL/dev", help="folder of NEREL .txt/.ann pairs")
    ap.add_argument("--out", help="write the report as JSON here")
    ap.add_argument("--limit", type=int, help="only the first N documents (by file name)")
    ap.add_argument("--show-misses", action="store_true", help="print missed and misattached triggers in context")
    a = ap.parse_args(argv)
    folder = pathlib.Path(a.data)
    if not any(folder.glob("*.ann")):
        sys.exit(f"no .ann files in {folder}: pass --data FOLDER (NEREL's dev/ with .txt/.ann pairs)")
    report = run(folder, a.limit, a.show_misses)
    print(table(report))
    if a.out:
        pathlib.Path(a.out).parent.mkdir(parents=True, exist_ok=True)
        pathlib.Path(a.out).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
