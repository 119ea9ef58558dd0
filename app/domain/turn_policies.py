"""Role-turn policies: the rule a pair follows to decide who leads, written as short texts.

Rules:
- ``fixed``: the designated mentor leads every turn (classic reverse mentoring);
- ``alternate(N)``: roles switch every N turns (N ≥ 1);
- ``senior_first(K)``: the senior leads the first K turns (K ≥ 0), then the pair alternates;
- ``primary_with_exchange``: a primary direction, with swaps requested and accepted by the pair;
- a pair's override takes effect from a turn index (a :class:`PolicyPeriod`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, get_args

from app.domain.errors import invalid

TurnPolicyKind = Literal["fixed", "alternate", "senior_first", "primary_with_exchange"]

_POLICY_KINDS: tuple[str, ...] = get_args(TurnPolicyKind)
_POLICY_TEXT = re.compile(r"^\s*([a-z_]+)\s*(?:\(\s*(\d+)\s*\))?\s*$")


@dataclass(frozen=True)
class TurnPolicy:
    """A role-turn policy, written ``fixed``, ``alternate(N)``, ``senior_first(K)`` or
    ``primary_with_exchange``.

    Rules:
    - N (``every``) ≥ 1 and K (``senior_leads_first``) ≥ 0, else ``invalid_turn_policy``.
    - Parameters a kind does not use are reset to their defaults, so equal texts mean equal
      policies and ``parse(p.to_str()) == p``.
    """

    kind: TurnPolicyKind
    every: int = 1
    senior_leads_first: int = 3

    def __post_init__(self) -> None:
        if self.kind not in _POLICY_KINDS:
            raise invalid("invalid_turn_policy", f"Unknown role-turn policy {self.kind!r}.")
        if self.every < 1:
            raise invalid("invalid_turn_policy", "alternate(N) needs N ≥ 1.", path="every")
        if self.senior_leads_first < 0:
            raise invalid(
                "invalid_turn_policy",
                "senior_first(K) needs K ≥ 0.",
                path="senior_leads_first",
            )
        if self.kind != "alternate":
            object.__setattr__(self, "every", 1)
        if self.kind != "senior_first":
            object.__setattr__(self, "senior_leads_first", 3)

    @classmethod
    def fixed(cls) -> TurnPolicy:
        return cls("fixed")

    @classmethod
    def alternate(cls, every: int = 1) -> TurnPolicy:
        return cls("alternate", every=every)

    @classmethod
    def senior_first(cls, senior_leads_first: int = 3) -> TurnPolicy:
        return cls("senior_first", senior_leads_first=senior_leads_first)

    @classmethod
    def primary_with_exchange(cls) -> TurnPolicy:
        return cls("primary_with_exchange")

    @property
    def allows_swaps(self) -> bool:
        return self.kind != "fixed"

    def to_str(self) -> str:
        if self.kind == "alternate":
            return f"alternate({self.every})"
        if self.kind == "senior_first":
            return f"senior_first({self.senior_leads_first})"
        return self.kind

    def __str__(self) -> str:
        return self.to_str()

    @classmethod
    def parse(cls, text: str) -> TurnPolicy:
        """Read ``fixed``, ``alternate``/``alternate(N)``, ``senior_first``/``senior_first(K)``,
        ``primary_with_exchange``; anything else is ``invalid_turn_policy``."""
        found = _POLICY_TEXT.match(text)
        if found is None or found.group(1) not in _POLICY_KINDS:
            raise invalid("invalid_turn_policy", f"Unknown role-turn policy {text!r}.")
        kind, number = found.group(1), found.group(2)
        if number is None:
            # the kind was checked against _POLICY_KINDS above
            return cls(kind)  # type: ignore[arg-type]
        if kind == "alternate":
            return cls.alternate(int(number))
        if kind == "senior_first":
            return cls.senior_first(int(number))
        raise invalid("invalid_turn_policy", f"{kind} takes no parameter: {text!r}.")


@dataclass(frozen=True)
class PolicyPeriod:
    """A policy in force from turn ``from_turn`` on (the program's policy from turn 0)."""

    policy: TurnPolicy
    from_turn: int
