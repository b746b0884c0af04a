"""Local processes and Ray give the same store as one process: same documents, extractions, events and ledger;
and Ray's results dataset (`--parquet`, written by Ray Data's own writer) holds the rows the local engine writes."""
from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest
from dumps import EXAMPLES, dump, rows

from letopis import api
from letopis.errors import LetopisError
from letopis.scale import results

POOL = "MapWorker(MapBatches(_ResultRows))"


@pytest.fixture(scope="module")
def ray_runtime():
    """One local Ray runtime for the module, sized as the engine sizes it on this machine (start-up ~7 s, ~2.4 GB)."""
    ray = pytest.importorskip("ray", reason="the ray extra is not installed")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


def test_engines_local_workers_equal_one_process(one_process, tmp_path):
    db = tmp_path / "two.db"
    report = api.ingest([str(EXAMPLES)], str(db), workers=2, batch=4)
    assert report.extracted == len(one_process["documents"])
    assert dump(db) == one_process


def test_engines_ray_equals_local(ray_runtime, one_process, tmp_path):
    from letopis.scale.ray import RayEngine

    db = tmp_path / "ray.db"
    api.ingest([str(EXAMPLES)], str(db), batch=4, engine=RayEngine(workers=2, window=3))
    got = dump(db)
    assert got == one_process
    assert json.loads(got["extractions"][0][1])["id"] == got["extractions"][0][0]


def _pool_actors(ray) -> int:
    # the GCS's actor table (ray.util.state needs the dashboard, which the engine does not start)
    return sum(a["ActorClassName"] == POOL for a in ray._private.state.actors().values())


def test_engines_ray_parquet_equals_local(ray_runtime, one_process, local_results, tmp_path):
    from letopis.scale.ray import RayEngine

    folder, db = tmp_path / "results", tmp_path / "ray.db"
    before = _pool_actors(ray_runtime)
    report = api.ingest([str(EXAMPLES)], str(db), batch=4, engine=RayEngine(workers=2), parquet=str(folder))
    assert _pool_actors(ray_runtime) - before == 2          # --workers is the size of the actor pool
    assert report.extracted == len(one_process["documents"])
    assert dump(db) == one_process

    table = pq.read_table(folder / "documents")
    assert table.num_rows == len(one_process["documents"]) == len(set(table.column("id").to_pylist()))
    assert table.schema.names == results.DOCUMENTS.names
    assert table.schema.metadata[b"letopis.schema"] == b"letopis-results"
    assert all(p.name.startswith("part-") for p in (folder / "documents").iterdir())
    assert json.loads((folder / results.MANIFEST).read_text())["engine"] == "ray"
    assert rows(folder) == rows(local_results[0])          # the same rows, the same extraction JSON, as locally


def test_engines_ray_refuses_a_pool_taking_every_cpu(ray_runtime):
    from letopis.scale.ray import RayEngine

    with pytest.raises(LetopisError, match="--workers 2 or fewer"):
        RayEngine(workers=4)._start()       # 4 actors of 0.5 CPU on 2 CPUs: nothing left to read or write with
