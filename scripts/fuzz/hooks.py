"""Schemathesis hooks: path parameters are mostly ids that exist (from ``$TURNABOUT_FUZZ_IDS``, made by
``real_ids.py`` for the caller being fuzzed), sometimes the generated value — so operations are
exercised on real resources and on missing ones alike."""

from __future__ import annotations

import json
import os
from typing import Any

import schemathesis
from hypothesis import strategies as st

IDS: dict[str, Any] = json.loads(open(os.environ["TURNABOUT_FUZZ_IDS"]).read())  # noqa: SIM115


@schemathesis.hook
def flatmap_path_parameters(context: Any, parameters: dict[str, Any] | None) -> Any:
    if not parameters:
        return st.just(parameters)
    chosen: dict[str, Any] = {name: st.just(value) for name, value in parameters.items()}
    pairs = IDS.get("program_enrollment", [])
    if "enrollment_id" in parameters and pairs:
        pair = st.sampled_from(pairs)
        return st.tuples(pair, st.integers(0, 9)).map(
            lambda drawn: {
                **parameters,
                **({"program_id": drawn[0][0], "enrollment_id": drawn[0][1]} if drawn[1] else {}),
            }
        )
    for name in parameters:
        real = IDS.get(name) or []
        if real:
            # nine in ten draws take an existing id; the tenth keeps the generated value
            chosen[name] = st.one_of(st.sampled_from(real), st.sampled_from(real), st.just(parameters[name]))
    return st.fixed_dictionaries(chosen)
