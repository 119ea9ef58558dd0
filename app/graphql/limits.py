"""Limits that refuse an abusive query before it touches the database, each with a clear message:
depth, aliases, tokens, and an estimated cost.

The cost counts every field that returns an object, multiplied by how many of its parents the query
may fetch: a connection fetches ``first`` items (50 when not given), a nested list such as a pair's
``meetings`` is counted as ``last`` items when given, else as ``LIST_ESTIMATE``. So
``programs(first: 200) { …relationships(first: 200) { …meetings … } }`` costs about 200 × 200 × 2
and is refused, while a screen's query costs a few hundred.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    VariableNode,
    get_named_type,
)
from graphql.type import GraphQLInterfaceType, GraphQLUnionType

DEFAULT_FIRST = 50
LIST_ESTIMATE = 10
# Wrappers whose size their parent connection already counts.
_CONNECTION_PARTS = frozenset({"edges", "node", "nodes", "pageInfo"})


def _unwrap(kind: GraphQLOutputType) -> tuple[bool, Any]:
    """(is a list, the named type)."""
    while isinstance(kind, GraphQLNonNull):
        kind = kind.of_type
    return isinstance(kind, GraphQLList), get_named_type(kind)


def cost_rule(max_cost: int) -> type[ValidationRule]:
    class QueryCost(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            document = context.document
            self.fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
            self.variables: dict[str, Any] = {}

        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
            schema = self.context.schema
            root = {
                "query": schema.query_type,
                "mutation": schema.mutation_type,
                "subscription": schema.subscription_type,
            }[node.operation.value]
            cost = self._selection_cost(node.selection_set, root, 1, set())
            if cost > max_cost:
                self.report_error(
                    GraphQLError(
                        f"The query would cost about {cost} (limit {max_cost}): ask for fewer items with `first` "
                        "or fewer nested lists.",
                        node,
                        extensions={"code": "query_too_costly", "cost": cost, "limit": max_cost},
                    )
                )

        def _count(self, node: FieldNode, name: str, default: int) -> int:
            for argument in node.arguments or ():
                if argument.name.value == name and isinstance(argument.value, IntValueNode):
                    return max(int(argument.value.value), 0)
                if argument.name.value == name and isinstance(argument.value, VariableNode):
                    return default  # unknown at validation: the resolver still caps it (first ≤ 200)
            return default

        def _selection_cost(
            self, selection_set: SelectionSetNode | None, parent: Any, multiplier: int, seen: set[str]
        ) -> int:
            if selection_set is None or parent is None:
                return 0
            total = 0
            for selection in selection_set.selections:
                if isinstance(selection, FieldNode):
                    total += self._field_cost(selection, parent, multiplier, seen)
                elif isinstance(selection, InlineFragmentNode):
                    kind = (
                        self.context.schema.get_type(selection.type_condition.name.value)
                        if selection.type_condition
                        else parent
                    )
                    total += self._selection_cost(selection.selection_set, kind, multiplier, seen)
                elif isinstance(selection, FragmentSpreadNode):
                    name = selection.name.value
                    fragment = self.fragments.get(name)
                    if fragment is None or name in seen:  # unknown or cyclic: other rules report it
                        continue
                    kind = self.context.schema.get_type(fragment.type_condition.name.value)
                    total += self._selection_cost(fragment.selection_set, kind, multiplier, seen | {name})
            return total

        def _field_cost(self, node: FieldNode, parent: Any, multiplier: int, seen: set[str]) -> int:
            if isinstance(parent, GraphQLUnionType) or not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
                return 0
            definition = parent.fields.get(node.name.value)
            if definition is None:
                return 0
            is_list, named = _unwrap(definition.type)
            if not isinstance(named, GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType):
                return 0  # a scalar or an enum costs nothing of its own
            name = node.name.value
            if name in _CONNECTION_PARTS:
                return self._selection_cost(node.selection_set, named, multiplier, seen)
            inner = multiplier
            if "first" in definition.args:
                inner = multiplier * self._count(node, "first", DEFAULT_FIRST)
            elif is_list:
                inner = multiplier * self._count(node, "last", LIST_ESTIMATE)
            return multiplier + self._selection_cost(node.selection_set, named, inner, seen)

    return QueryCost
