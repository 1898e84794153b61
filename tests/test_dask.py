"""Parse dev reports on a Dask cluster through the public per-file functions (see docs/dask.md)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gxparse.batch import BatchResult, parse_one, parse_one_to_dict

distributed = pytest.importorskip("distributed")
db = pytest.importorskip("dask.bag")

DEV = Path(__file__).parents[1] / "training_data/dev"
PATHS = [str(DEV / n) for n in ("seed000.txt", "r020.txt", "r025.html", "seed003.txt")]
pytestmark = pytest.mark.skipif(not DEV.is_dir(), reason="dev corpus not found")


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=":0", silence_logs=logging.ERROR)
    with cluster, distributed.Client(cluster) as dask_client:
        yield dask_client


def test_client_map_matches_local_parsing(client: Any) -> None:
    futures = client.map(parse_one_to_dict, PATHS, placer="rules")
    results = [BatchResult.from_dict(d) for d in client.gather(futures)]
    assert results == [parse_one(p, placer="rules") for p in PATHS]
    assert [r.status for r in results] == ["ok", "partial", "ok", "no_tables"]


def test_dask_bag_of_paths(client: Any) -> None:
    bag = db.from_sequence(PATHS, npartitions=2).map(parse_one_to_dict, placer="rules")
    docs = bag.compute()
    assert [d["source"] for d in docs] == PATHS
    assert all(d["records"] for d in docs if d["status"] in ("ok", "partial"))
