"""Runs Rasa's model graph in a fixed order instead of through dask on every call.

Rasa 3.6.21 runs the graph of the loaded model once for the NLU of every message and once
for every action it predicts. Each run recomputes the part of the graph the targets need,
builds a dask graph from it and lets dask's synchronous scheduler order and execute the
nodes: about 1.5 ms of the Rasa server's 17 ms of CPU per message (py-spy under
`scripts/benchmark.py`, issue 11), for a graph that never changes once loaded. Here the
execution order for each set of targets is worked out once and the nodes are called in
it, one after the other, with the same arguments dask gives them: each parent's
`(name, output)`, the input's `(name, value)`, or the bare name of a parent that is not
in the graph. dask's synchronous scheduler also runs one node at a time, so nothing runs
concurrently that did not before.

``install()`` runs when the ``components`` package is imported, i.e. in every Rasa
process that loads our model, before the graph runs for the first time.
"""
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner

from components.patching import require_written_for_this_rasa

_dask_run = DaskGraphRunner.run

# A node's name and the names its inputs come from, in the order of its `needs`.
Step = Tuple[Text, Tuple[Text, ...]]


def execution_order(runner: DaskGraphRunner, targets: Tuple[Text, ...]) -> List[Step]:
    """Every node the targets depend on, each after all of its parents (kept per runner)."""
    orders: Dict[Tuple[Text, ...], List[Step]] = runner.__dict__.setdefault("_execution_orders", {})
    if targets not in orders:
        nodes = runner._graph_schema.minimal_graph_schema(list(targets)).nodes
        order: List[Step] = []
        placed = set()

        def place(name: Text) -> None:
            if name in placed or name not in nodes:
                return
            placed.add(name)
            for parent in nodes[name].needs.values():
                place(parent)
            order.append((name, tuple(nodes[name].needs.values())))

        for name in nodes:
            place(name)
        orders[targets] = order
    return orders[targets]


def run_in_order(
    self: DaskGraphRunner, inputs: Optional[Dict[Text, Any]] = None, targets: Optional[List[Text]] = None
) -> Dict[Text, Any]:
    """Same contract as ``DaskGraphRunner.run``: the targets' `(name, output)` by name."""
    run_targets = tuple(targets if targets else self._graph_schema.target_names)
    order = execution_order(self, run_targets)
    results: Dict[Text, Any] = {}
    for name, value in (inputs or {}).items():
        if isinstance(value, str) and any(value == node for node, _ in order):
            raise GraphRunError(
                f"Input value '{value}' clashes with a node name. Make sure that none of the input names "
                "passed to the `run` method are the same as node names in the graph schema."
            )
        results[name] = (name, value)
    try:
        for name, parents in order:
            results[name] = self._instantiated_nodes[name](*(results.get(parent, parent) for parent in parents))
    except RuntimeError as e:
        raise GraphRunError("Error running runner.") from e
    return dict(results[target] for target in run_targets)


def install() -> None:
    require_written_for_this_rasa("components.graph_runner (DaskGraphRunner.run)")
    DaskGraphRunner.run = run_in_order
