"""Near-duplicate articles and boilerplate shared across articles: MinHash + MinHashLSH (datasketch), kept in SQLite.

Two indexes live in one database (migration 0003_corpus_dedup.sql):

* documents: MinHash of the body's word 3-grams. A new body whose estimated Jaccard with an earlier one reaches
  `doc_threshold` (0.5) is a `Duplicate` of the first seen of them. Measured on the example corpus and the seeds,
  different articles about one story share at most 0.09 of their 3-grams, while a repost under another title with a
  "Читайте также" footer keeps well over 0.5, so the threshold has room on both sides.
* passages: MinHash of each sentence's character 5-grams (boilerplate.py). A sentence whose estimated Jaccard with a
  sentence of another document reaches `passage_threshold` (0.5) and that has the same numbers joins that sentence's
  cluster. On the seeds, background sentences copied with edits score 0.52-1.0, while sentences of different reports
  about one event score up to 0.49, so one shared sentence is not enough: runs of them are (boilerplate.group_runs).

Each cluster keeps only its first seen passage (its leader) in the LSH, so a sentence repeated in 10,000 articles
is one LSH entry. The hash tables are rows of `dedup_buckets` (datasketch's storage interface over SQLite): nothing
is rebuilt when the database is reopened. Two unrelated sentences still share a bucket now and then (about one pair
in 5,000 for news sentences), so a sentence's candidates grow with the corpus; each passage's bucket rows carry the
lowest two bits of its 64 hash values (`_fingerprint`, b-bit minwise hashing), and a candidate whose bits agree at
fewer places than the threshold needs equal values cannot reach it: it is dropped without reading its row.

A duplicate's passages are not indexed (a repost would otherwise turn its original into boilerplate); the whole
body of a duplicate is background. Spans are offsets into the body the caller gave.
"""
from __future__ import annotations

import functools
import hashlib
import json
import sqlite3
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH
from datasketch.storage import OrderedStorage, UnorderedStorage

from ..errors import LetopisError, UnknownDocument
from ..ingest.document import Document, utcnow
from .boilerplate import (CHANGED, SHARED, UNIQUE, Marked, Span, char_shingles, group_runs, normalise, passages,
                          within, word_shingles)

SCHEME = "affine32"        # datasketch >= 2.0 permutation scheme: uint32 hash values, stored little-endian
DOCS, PASSAGES = 0, 1      # dedup_buckets.space
CHUNK = 500                # ids per `IN (...)` query


class DedupIndexError(LetopisError):
    """The dedup tables are missing, or were built with other parameters than this letopis uses."""


@dataclass(frozen=True, slots=True)
class DedupConfig:
    """Parameters of the index. Those in `index_params()` shape what is stored and are checked on every write."""

    doc_num_perm: int = 128
    doc_bands: tuple[int, int] = (32, 4)       # P(candidate) 0.87 at Jaccard 0.5, 0.99 at 0.6, 0.003 at 0.1
    doc_threshold: float = 0.5
    passage_num_perm: int = 64
    passage_bands: tuple[int, int] = (21, 3)   # P(candidate) 0.94 at 0.5, 0.99 at 0.6; candidates are verified
    passage_threshold: float = 0.5
    min_words: int = 6                         # shorter sentences ("Фото: Reuters") are not indexed
    seed: int = 1
    # read time only (see boilerplate.group_runs)
    max_gap: int = 1
    min_run_passages: int = 2
    min_run_words: int = 20
    max_others: int = 50                       # ids listed per shared paragraph, first seen first

    def index_params(self) -> dict:
        keep = ("doc_num_perm", "doc_bands", "doc_threshold", "passage_num_perm", "passage_bands",
                "passage_threshold", "min_words", "seed")
        return {"scheme": SCHEME, "hash": "crc32", "shingles": "doc:word3,passage:char5", **{k: asdict(self)[k] for k in keep}}


@dataclass(frozen=True, slots=True)
class Duplicate:
    """`doc_id` is the same story as the earlier `duplicate_of` (estimated Jaccard of their word 3-grams)."""

    doc_id: str
    duplicate_of: str
    similarity: float

    def to_json(self) -> dict:
        return {"doc_id": self.doc_id, "duplicate_of": self.duplicate_of, "similarity": self.similarity}

    @classmethod
    def from_json(cls, d: dict) -> Duplicate:
        return cls(d["doc_id"], d["duplicate_of"], float(d["similarity"]))


@dataclass(frozen=True, slots=True)
class SharedParagraph:
    """Text of `doc_id` at `span` (body offsets) recurs in `others` (first seen first): background, not news."""

    doc_id: str
    span: Span
    others: tuple[str, ...]
    similarity: float          # mean estimated Jaccard of its sentences with their closest copies

    def to_json(self) -> dict:
        return {"doc_id": self.doc_id, "span": list(self.span), "others": list(self.others),
                "similarity": self.similarity}

    @classmethod
    def from_json(cls, d: dict) -> SharedParagraph:
        return cls(d["doc_id"], tuple(d["span"]), tuple(d["others"]), float(d["similarity"]))


@dataclass(frozen=True, slots=True)
class DedupResult:
    """What adding one body found; `affected` are earlier documents whose background spans changed with it."""

    doc_id: str
    duplicate: Duplicate | None
    shared: tuple[SharedParagraph, ...]
    affected: tuple[str, ...]

    def to_json(self) -> dict:
        return {"doc_id": self.doc_id, "duplicate": self.duplicate.to_json() if self.duplicate else None,
                "shared": [s.to_json() for s in self.shared], "affected": list(self.affected)}


class DedupIndex:
    """The incremental index over an open letopis database (`Store(...).db` or any connection migrated by it)."""

    def __init__(self, conn: sqlite3.Connection, config: DedupConfig = DedupConfig()):
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name='dedup_documents'").fetchone() is None:
            raise DedupIndexError("this database has no dedup tables: open it once with letopis.store.Store, "
                                  "which applies migration 0003_corpus_dedup.sql")
        self.db, self.config = conn, config
        self._doc_sketch = _Sketcher(config.doc_num_perm, config.seed)
        self._passage_sketch = _Sketcher(config.passage_num_perm, config.seed)
        self.doc_lsh = SqliteMinHashLSH(conn, DOCS, config.doc_num_perm, config.doc_bands)
        self.passage_lsh = SqliteMinHashLSH(conn, PASSAGES, config.passage_num_perm, config.passage_bands,
                                            fingerprints=True)
        # equal hash values a passage needs to reach the threshold (the estimate is their share)
        self._passage_need = next(k for k in range(config.passage_num_perm + 1)
                                  if k / config.passage_num_perm >= config.passage_threshold)
        self._checked = False

    # -- writes ---------------------------------------------------------------------------------------

    def add(self, doc_id: str, body: str) -> DedupResult:
        """Index one body (idempotent: a known id is not indexed again and reports no affected documents)."""
        return next(self.add_many([(doc_id, body)]))

    def add_document(self, doc: Document) -> DedupResult:
        return self.add(doc.id, doc.body)

    def add_many(self, items: Iterable[tuple[str, str]]) -> Iterator[DedupResult]:
        """Index (doc_id, body) pairs in order, each in its own transaction (or the caller's, if one is open)."""
        for doc_id, body in items:
            with self._transaction():
                result = self._add(doc_id, body)
            yield result

    def clear(self) -> None:
        """Forget everything (to rebuild the index with other parameters)."""
        with self._transaction():
            for table in ("dedup_buckets", "dedup_passages", "dedup_documents", "dedup_meta"):
                self.db.execute(f"DELETE FROM {table}")
        self._checked = False

    def _add(self, doc_id: str, body: str) -> DedupResult:
        self._check_params()
        seq = self._seq(doc_id)
        if seq is not None:
            return DedupResult(doc_id, self._duplicate(doc_id, seq), tuple(self._shared(doc_id, seq)), ())
        shingles = word_shingles(normalise(body))
        sig = self._doc_sketch(shingles) if shingles else None
        dup = self._find_duplicate(doc_id, sig) if sig is not None else None
        seq = self.db.execute(
            "INSERT INTO dedup_documents (doc_id, signature, duplicate_of, similarity, length, added_at)"
            " VALUES (?,?,?,?,?,?)",
            (doc_id, _blob(sig) if sig is not None else None, dup.duplicate_of if dup else None,
             dup.similarity if dup else None, len(body), utcnow())).lastrowid
        affected: tuple[str, ...] = ()
        if dup is None:
            if sig is not None:
                self.doc_lsh.insert(seq, sig, check_duplication=False)
            affected = self._add_passages(seq, body)
        return DedupResult(doc_id, dup, tuple(self._shared(doc_id, seq)), affected)

    def _find_duplicate(self, doc_id: str, sig: MinHash) -> Duplicate | None:
        rows = self._rows("SELECT seq, doc_id, signature FROM dedup_documents WHERE seq IN ({}) ORDER BY seq",
                          self.doc_lsh.query(sig))
        for (seq, other, _), similarity in zip(rows, self._doc_sketch.similarities(sig, [r[2] for r in rows])):
            if similarity >= self.config.doc_threshold:
                return Duplicate(doc_id, other, round(similarity, 3))
        return None

    def _add_passages(self, seq: int, body: str) -> tuple[str, ...]:
        before: dict[int, list[Span]] = {}   # earlier documents touched, with their background spans before

        def touch(doc_seq: int) -> None:
            if doc_seq != seq and doc_seq not in before:
                before[doc_seq] = self._spans(doc_seq)

        for p in passages(body, self.config.min_words):
            sig = self._passage_sketch(char_shingles(p.text))
            same = changed = None
            rows = self._rows("SELECT id, doc_seq, numbers, signature, changed FROM dedup_passages WHERE id IN ({})",
                              self.passage_lsh.candidates(sig, self._passage_need))
            for (pid, pseq, numbers, _, is_changed), j in zip(
                    rows, self._passage_sketch.similarities(sig, [r[3] for r in rows])):
                if j < self.config.passage_threshold:
                    continue
                key = (pseq == seq, -j, pid)      # another document first, then the closest, then the first seen
                if numbers == p.numbers:
                    same = min(same, (key, pid, pseq, j)) if same else (key, pid, pseq, j)
                elif pseq != seq:
                    changed = min(changed, (key, pid, pseq, is_changed)) if changed else (key, pid, pseq, is_changed)
            row = (seq, p.paragraph, p.span[0], p.span[1], p.words, p.numbers, _blob(sig))
            insert = ("INSERT INTO dedup_passages (doc_seq, paragraph, start, stop, words, numbers, signature,"
                      " leader, similarity, changed) VALUES (?,?,?,?,?,?,?,?,?,?)")
            if same:
                _, leader, lseq, j = same
                self.db.execute(insert, (*row, leader, round(j, 3), 0))
                if lseq != seq:
                    touch(lseq)
                    self.db.execute("UPDATE dedup_passages SET shared=1, similarity=MAX(COALESCE(similarity, 0), ?)"
                                    " WHERE id=?", (round(j, 3), leader))
                continue
            pid = self.db.execute(insert, (*row, None, None, int(changed is not None))).lastrowid
            self.passage_lsh.insert(pid, sig, check_duplication=False)
            if changed and not changed[3]:
                touch(changed[2])
                self.db.execute("UPDATE dedup_passages SET changed=1 WHERE id=?", (changed[1],))
        moved = [s for s, spans in before.items() if self._spans(s) != spans]
        return tuple(self._doc_id(s) for s in sorted(moved))

    # -- reads ----------------------------------------------------------------------------------------

    def __contains__(self, doc_id: str) -> bool:
        return self._seq(doc_id) is not None

    def duplicate(self, doc_id: str) -> Duplicate | None:
        return self._duplicate(doc_id, self._require(doc_id))

    def shared(self, doc_id: str) -> list[SharedParagraph]:
        """The shared paragraphs of `doc_id`, in body order (none for a duplicate: all of it is background)."""
        return self._shared(doc_id, self._require(doc_id))

    def background_spans(self, doc_id: str) -> list[Span]:
        """Body spans whose events and figures are background: shared paragraphs, or the whole of a duplicate."""
        seq = self._require(doc_id)
        row = self.db.execute("SELECT duplicate_of, length FROM dedup_documents WHERE seq=?", (seq,)).fetchone()
        return [(0, row[1])] if row[0] else self._spans(seq)

    def is_background(self, doc_id: str, span: Span) -> bool:
        """True when `span` (body offsets) lies inside a background span of `doc_id`."""
        return within(span, self.background_spans(doc_id))

    def _duplicate(self, doc_id: str, seq: int) -> Duplicate | None:
        row = self.db.execute("SELECT duplicate_of, similarity FROM dedup_documents WHERE seq=?", (seq,)).fetchone()
        return Duplicate(doc_id, row[0], row[1]) if row[0] else None

    def _marked(self, seq: int) -> list[tuple]:
        """(Marked, leader id, similarity) for each indexed passage of a document, in body order."""
        rows = self.db.execute(
            """SELECT p.paragraph, p.start, p.stop, p.words, p.changed, COALESCE(l.shared, p.shared),
                      COALESCE(p.leader, p.id), p.similarity
               FROM dedup_passages p LEFT JOIN dedup_passages l ON l.id = p.leader
               WHERE p.doc_seq = ? ORDER BY p.start""", (seq,))
        return [(Marked(par, (a, b), words, SHARED if shared else CHANGED if changed else UNIQUE), leader, sim)
                for par, a, b, words, changed, shared, leader, sim in rows]

    def _runs(self, marked: list[tuple]):
        c = self.config
        return group_runs([m[0] for m in marked], c.max_gap, c.min_run_passages, c.min_run_words)

    def _spans(self, seq: int) -> list[Span]:
        return [run.span for run in self._runs(self._marked(seq))]

    def _shared(self, doc_id: str, seq: int) -> list[SharedParagraph]:
        marked = self._marked(seq)
        out = []
        for run in self._runs(marked):
            leaders = sorted({marked[i][1] for i in run.members})
            sims = [marked[i][2] for i in run.members if marked[i][2] is not None]
            out.append(SharedParagraph(doc_id, run.span, self._others(leaders, seq),
                                       round(sum(sims) / len(sims), 3) if sims else 0.0))
        return out

    def _others(self, leaders: list[int], seq: int) -> tuple[str, ...]:
        """The documents (but `seq`) holding a passage of these clusters, first seen first, at most `max_others`:
        each cluster's first members from the (leader, doc_seq) index, never the whole of a large cluster."""
        k = self.config.max_others
        seqs = {r[0] for r in self._rows("SELECT doc_seq FROM dedup_passages WHERE id IN ({})", leaders)}
        for leader in leaders:
            seqs.update(r[0] for r in self.db.execute(
                "SELECT doc_seq FROM dedup_passages WHERE leader=? ORDER BY doc_seq LIMIT ?", (leader, k + 1)))
        first = sorted(seqs - {seq})[:k]
        ids = dict(self._rows("SELECT seq, doc_id FROM dedup_documents WHERE seq IN ({})", first))
        return tuple(ids[s] for s in first)

    # -- plumbing -------------------------------------------------------------------------------------

    def _seq(self, doc_id: str) -> int | None:
        row = self.db.execute("SELECT seq FROM dedup_documents WHERE doc_id=?", (doc_id,)).fetchone()
        return row[0] if row else None

    def _require(self, doc_id: str) -> int:
        seq = self._seq(doc_id)
        if seq is None:
            raise UnknownDocument(f"{doc_id!r} is not in the dedup index: add it with DedupIndex.add first")
        return seq

    def _doc_id(self, seq: int) -> str:
        return self.db.execute("SELECT doc_id FROM dedup_documents WHERE seq=?", (seq,)).fetchone()[0]

    def _rows(self, sql: str, ids: Iterable[int], params: tuple = ()) -> list[tuple]:
        """Rows of `sql` whose `IN ({})` takes `ids`, in chunks (with a LIMIT, pass few ids)."""
        ids, out = sorted(ids), []
        for i in range(0, len(ids), CHUNK):
            chunk = ids[i:i + CHUNK]
            marks = ",".join("?" * len(chunk))
            out.extend(tuple(r) for r in self.db.execute(sql.format(marks), (*chunk, *params)))
        return out

    def _check_params(self) -> None:
        if self._checked:
            return
        want = self.config.index_params()
        row = self.db.execute("SELECT value FROM dedup_meta WHERE key='params'").fetchone()
        if row is None:
            self.db.execute("INSERT INTO dedup_meta VALUES ('params', ?)", (json.dumps(want),))
        elif json.loads(row[0]) != json.loads(json.dumps(want)):
            raise DedupIndexError(f"the dedup index was built with {row[0]}, this letopis uses {json.dumps(want)}: "
                                  "rebuild it (DedupIndex.clear(), then add the documents again)")
        self._checked = True

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        if self.db.in_transaction:
            yield
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")


# -- MinHash and MinHashLSH over SQLite ---------------------------------------------------------------


class _Sketcher:
    """MinHashes with one set of permutations (made once: building them per sketch costs more than hashing).

    Shingles are hashed with CRC-32 instead of datasketch's default SHA-1 (ten times faster here); the "affine32"
    scheme mixes every input hash with the MurmurHash3 finalizer before permuting it, so CRC's linearity does not
    show in the signatures, and a chance collision of two shingles only nudges one Jaccard estimate.
    """

    def __init__(self, num_perm: int, seed: int):
        self.num_perm, self.seed = num_perm, seed
        self.permutations = _permutations(num_perm, seed)

    def __call__(self, shingles: Iterable[bytes]) -> MinHash:
        m = MinHash(num_perm=self.num_perm, seed=self.seed, hashfunc=zlib.crc32, permutations=self.permutations,
                    scheme=SCHEME)
        m.update_batch(list(shingles))
        return m

    def similarities(self, m: MinHash, blobs: list[bytes]) -> list[float]:
        """`m.jaccard(...)` (the share of equal hash values) with every stored signature, in one array operation:
        the candidates of a query are verified at once, however many there are."""
        if not blobs:
            return []
        stored = np.frombuffer(b"".join(blobs), dtype="<u4").reshape(len(blobs), self.num_perm)
        same = np.count_nonzero(stored == m.hashvalues.astype("<u4"), axis=1)
        return [float(k) / float(self.num_perm) for k in same.tolist()]


@functools.cache
def _permutations(num_perm: int, seed: int):
    """datasketch's permutations for (num_perm, seed), made once per process (an index is opened per batch)."""
    return MinHash(num_perm=num_perm, seed=seed, scheme=SCHEME).permutations


def _blob(m: MinHash) -> bytes:
    return m.hashvalues.astype("<u4").tobytes()


def _bucket(band: bytes) -> int:
    """A band's hash values as one signed 64-bit integer (SQLite INTEGER)."""
    return int.from_bytes(hashlib.blake2b(band, digest_size=8).digest(), "little", signed=True)


def _fingerprint(hashvalues) -> tuple[int, int]:
    """The lowest two bits of each of (at most 64) hash values, as two bit planes (signed 64-bit integers).
    Signatures equal at k places agree on these 2-bit values at k places or more; unrelated ones at about a quarter."""
    values = np.asarray(hashvalues, dtype=np.uint64)
    return tuple(int.from_bytes(np.packbits(((values >> np.uint64(bit)) & np.uint64(1)).astype(np.uint8),
                                            bitorder="little").tobytes().ljust(8, b"\0"), "little", signed=True)
                 for bit in (0, 1))


def _agreeing(a: tuple[int, int], b: tuple[int, int], n: int) -> int:
    """At how many of `n` places two fingerprints hold the same 2-bit value."""
    return n - (((a[0] ^ b[0]) | (a[1] ^ b[1])) & ((1 << n) - 1)).bit_count()


class SqliteMinHashLSH(MinHashLSH):
    """datasketch's MinHashLSH whose hash tables are `dedup_buckets` rows: writes join the caller's transaction,
    nothing is loaded on open, and a query is `b` primary-key look-ups. Keys are integers. With `fingerprints`
    (64 permutations at most), each row carries its key's `_fingerprint` for `candidates`."""

    def __init__(self, conn: sqlite3.Connection, space: int, num_perm: int, params: tuple[int, int],
                 fingerprints: bool = False):
        super().__init__(num_perm=num_perm, params=params, hashfunc=_bucket)
        if fingerprints and num_perm > 64:
            raise ValueError("fingerprints hold 64 hash values at most")
        self.hashtables = [_Band(conn, space, band) for band in range(self.b)]
        self.keys = _Keys(conn, space)
        self.db, self.space, self.fingerprints = conn, space, fingerprints
        bands = " UNION ".join(["SELECT key, fp0, fp1 FROM dedup_buckets WHERE space=? AND band=? AND bucket=?"] * self.b)
        self._query_sql = f"SELECT key FROM ({bands})"
        self._candidates_sql = bands

    def insert(self, key, minhash, check_duplication: bool = True) -> None:
        """The key's `b` bucket rows in one statement (datasketch writes each hash table apart)."""
        if len(minhash) != self.h:
            raise ValueError(f"expecting a MinHash with {self.h} permutations, got {len(minhash)}")
        if check_duplication and key in self.keys:
            raise ValueError("The given key already exists")
        fp = _fingerprint(minhash.hashvalues) if self.fingerprints else (None, None)
        self.db.executemany("INSERT OR IGNORE INTO dedup_buckets (space, band, bucket, key, fp0, fp1)"
                            " VALUES (?,?,?,?,?,?)",
                            [(self.space, band, self._H(minhash.hashvalues[start:stop]), key, *fp)
                             for band, (start, stop) in enumerate(self.hashranges)])

    def query(self, minhash) -> list[int]:
        """The keys sharing a bucket with `minhash` in any band, in one statement (not one per hash table)."""
        return [r[0] for r in self.db.execute(self._query_sql, self._params(minhash))]

    def candidates(self, minhash, need: int) -> list[int]:
        """`query` without the keys whose fingerprint agrees with `minhash`'s at fewer than `need` places: their
        signatures cannot be equal at `need` places. Exact: a key that can reach `need` is always kept (and so is
        one stored without a fingerprint)."""
        if not self.fingerprints:
            return self.query(minhash)
        fp = _fingerprint(minhash.hashvalues)
        return [key for key, fp0, fp1 in self.db.execute(self._candidates_sql, self._params(minhash))
                if fp0 is None or _agreeing(fp, (fp0, fp1), self.h) >= need]

    def _params(self, minhash) -> list:
        if len(minhash) != self.h:
            raise ValueError(f"expecting a MinHash with {self.h} permutations, got {len(minhash)}")
        params = []
        for band, (start, stop) in enumerate(self.hashranges):
            params += (self.space, band, self._H(minhash.hashvalues[start:stop]))
        return params


class _Band(UnorderedStorage):
    """One LSH hash table: bucket → keys, as rows (space, band, bucket, key)."""

    def __init__(self, conn: sqlite3.Connection, space: int, band: int):
        self.db, self.where = conn, (space, band)

    def keys(self):
        return [r[0] for r in self.db.execute(
            "SELECT DISTINCT bucket FROM dedup_buckets WHERE space=? AND band=?", self.where)]

    def get(self, key):
        return {r[0] for r in self.db.execute(
            "SELECT key FROM dedup_buckets WHERE space=? AND band=? AND bucket=?", (*self.where, key))}

    def insert(self, key, *vals, **kwargs):
        self.db.executemany("INSERT OR IGNORE INTO dedup_buckets (space, band, bucket, key) VALUES (?,?,?,?)",
                            [(*self.where, key, v) for v in vals])

    def remove(self, *keys, **kwargs):
        self.db.executemany("DELETE FROM dedup_buckets WHERE space=? AND band=? AND bucket=?",
                            [(*self.where, k) for k in keys])

    def remove_val(self, key, val, **kwargs):
        self.db.execute("DELETE FROM dedup_buckets WHERE space=? AND band=? AND bucket=? AND key=?",
                        (*self.where, key, val))

    def size(self):
        return self.db.execute("SELECT COUNT(DISTINCT bucket) FROM dedup_buckets WHERE space=? AND band=?",
                               self.where).fetchone()[0]

    def itemcounts(self, **kwargs):
        return dict(self.db.execute("SELECT bucket, COUNT(*) FROM dedup_buckets WHERE space=? AND band=?"
                                    " GROUP BY bucket", self.where).fetchall())

    def has_key(self, key):
        return self.db.execute("SELECT 1 FROM dedup_buckets WHERE space=? AND band=? AND bucket=?",
                               (*self.where, key)).fetchone() is not None


class _Keys(OrderedStorage):
    """LSH key → its buckets, read back from the band rows (they already hold it, so `insert` writes nothing).
    Look-ups by key scan the space: they serve `MinHashLSH.remove`, and inserts skip the duplicate check."""

    def __init__(self, conn: sqlite3.Connection, space: int):
        self.db, self.space = conn, space

    def keys(self):
        return [r[0] for r in self.db.execute("SELECT DISTINCT key FROM dedup_buckets WHERE space=?", (self.space,))]

    def get(self, key):
        return [r[0] for r in self.db.execute(
            "SELECT bucket FROM dedup_buckets WHERE space=? AND key=? ORDER BY band", (self.space, key))]

    def insert(self, key, *vals, **kwargs):
        pass

    def remove(self, *keys, **kwargs):
        self.db.executemany("DELETE FROM dedup_buckets WHERE space=? AND key=?", [(self.space, k) for k in keys])

    def remove_val(self, key, val, **kwargs):
        self.db.execute("DELETE FROM dedup_buckets WHERE space=? AND key=? AND bucket=?", (self.space, key, val))

    def size(self):
        return self.db.execute("SELECT COUNT(DISTINCT key) FROM dedup_buckets WHERE space=?",
                               (self.space,)).fetchone()[0]

    def itemcounts(self, **kwargs):
        return dict(self.db.execute("SELECT key, COUNT(*) FROM dedup_buckets WHERE space=? GROUP BY key",
                                    (self.space,)).fetchall())

    def has_key(self, key):
        return self.db.execute("SELECT 1 FROM dedup_buckets WHERE space=? AND key=? LIMIT 1",
                               (self.space, key)).fetchone() is not None
