"""The Lex bot in infra/lex/ is generated from intents/ and in sync with it; its shape respects Lex's rules."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

from intents.catalog import INTENTS, SLOTS
from intents.lexgen import INFRA, render

ROOT = Path(__file__).parents[2]


def test_checked_in_files_match_the_catalogue() -> None:
    for name, text in render().items():
        assert (INFRA / name).read_text(encoding="utf-8") == text, f"run: python -m intents.lexgen ({name})"


def _locale() -> dict:  # type: ignore[type-arg]
    template = yaml.safe_load((INFRA / "bot.yml").read_text(encoding="utf-8"))
    return template["Resources"]["AccessBotLexBot"]["Properties"]["BotLocales"][0]  # type: ignore[no-any-return]


def test_every_main_intent_has_15_samples_and_fallback_exists() -> None:
    intents = {i["Name"]: i for i in _locale()["Intents"]}
    assert intents["FallbackIntent"]["ParentIntentSignature"] == "AMAZON.FallbackIntent"
    for intent in INTENTS:
        assert len(intent.samples) >= 15, intent.name
        assert len(intents[intent.name]["SampleUtterances"]) >= 12, intent.name


def test_utterances_only_name_their_own_slots_and_no_free_form_ones() -> None:
    for intent in _locale()["Intents"]:
        slots = {s["Name"]: s["SlotTypeName"] for s in intent.get("Slots", [])}
        for row in intent.get("SampleUtterances", []):
            for name in re.findall(r"\{(\w+)\}", row["Utterance"]):
                assert name in slots, (intent["Name"], row)
                assert slots[name] != "AMAZON.FreeFormInput", (intent["Name"], row)
            assert len(row["Utterance"]) <= 200


def test_custom_slot_types_have_values_and_unique_words() -> None:
    types = _locale()["SlotTypes"]
    used = {SLOTS[n].type for i in INTENTS for n in i.slots if not SLOTS[n].type.startswith("AMAZON.")}
    assert used <= {t["Name"] for t in types}
    for slot_type in types:
        words = [v["SampleValue"]["Value"].lower() for v in slot_type["SlotTypeValues"]]
        words += [s["Value"].lower() for v in slot_type["SlotTypeValues"] for s in v.get("Synonyms", [])]
        assert words and len(words) == len(set(words)), slot_type["Name"]
    services = next(t for t in types if t["Name"] == "ServiceName")
    s3 = next(v for v in services["SlotTypeValues"] if v["SampleValue"]["Value"] == "s3")
    assert "bucket" in {s["Value"] for s in s3["Synonyms"]}


def test_cfn_lint_passes() -> None:
    done = subprocess.run(
        [str(Path(sys.executable).parent / "cfn-lint"), str(INFRA / "bot.yml")],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stdout + done.stderr
