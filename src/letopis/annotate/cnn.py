"""A leaner numpy forward pass for slovnet's CNN taggers (morphology, syntax, NER), used by `nlp.py`.

slovnet's executor pads a batch of 8 to its longest item, computes each convolution by copying every window of
its input (im2col) and swaps the axes of the activations around every layer. Here:

- items are *packed*: one long sequence per chunk of several thousand tokens, items separated by zero rows as
  wide as the convolution's padding, so nothing is padded to a longest item and the matrices are large;
- activations stay (token, channel); a convolution is one matrix product with the kernel taps side by side,
  whose shifted slices are added up;
- the first layer multiplies each *distinct* (word, shape) of a chunk once (about half of its tokens; the shape
  part through a precomputed table);
- the Viterbi step of the NER CRF takes the max of its scores instead of gathering them through index grids.

The separators are zero, as slovnet's padding is (its pad embeddings are zero and it zeroes padded positions after
every layer), so a token sees exactly what it sees in slovnet; only the order of float additions differs, and the
tags match slovnet's (tests/annotate/test_nlp.py compares them).
"""
from __future__ import annotations

import ctypes
import os
from typing import Iterator, Sequence

import numpy as np

Coded = tuple[Sequence[int], Sequence[int]]   # (word ids, shape ids) of one item


class _Layer:
    """One CNN encoder layer (conv → relu → batch norm) with its weights laid out for (token, channel) input."""

    def __init__(self, layer):
        conv, norm = layer.conv, layer.norm
        w = conv.weight.array                          # filters x in x kernel
        self.filters, self.channels, self.size = w.shape
        self.taps = np.ascontiguousarray(w.transpose(1, 2, 0).reshape(self.channels, -1))   # in x (kernel*filters)
        self.padding, self.bias = conv.padding, conv.bias.array
        if self.size != 2 * self.padding + 1:
            raise ValueError(f"a convolution of width {self.size} with padding {self.padding} changes the length")
        self.mean, self.std = norm.mean.array, norm.std.array
        self.weight, self.shift = norm.weight.array, norm.bias.array

    def finish(self, y: np.ndarray, sep: np.ndarray) -> np.ndarray:
        """Convolution output from per-tap products `y` (rows x kernel*filters), then relu and batch norm."""
        rows, p, k, f = len(y), self.padding, self.size, self.filters
        y = y.reshape(rows, k, f)
        out = np.zeros((rows, f), dtype=y.dtype)
        inner = rows - k + 1                           # windows; the first and last p rows are separators
        mid = out[p:p + inner]
        np.add(y[0:inner, 0], self.bias, out=mid)
        for tap in range(1, k):
            mid += y[tap:tap + inner, tap]
        np.maximum(out, 0, out=out)                    # relu
        out -= self.mean                               # batch norm, in slovnet's order of operations
        out /= self.std
        out *= self.weight
        out += self.shift
        out[sep] = 0
        return out

    def __call__(self, x: np.ndarray, sep: np.ndarray) -> np.ndarray:
        return self.finish(x @ self.taps, sep)


class Encoder:
    """Embedding + CNN encoder of a slovnet model over packed rows:
    (word ids, shape ids, separator mask) → rows x features."""

    def __init__(self, model):
        word = model.emb.word
        codes = word.codes.array                       # qdim x centroids x chunk
        qdim, centroids, chunk = codes.shape
        self.codes, self.indexes = codes.reshape(-1, chunk), word.indexes.array
        self.offsets = np.arange(qdim) * centroids
        self.layers = [_Layer(layer) for layer in model.encoder.layers]
        first = self.layers[0]
        dim = qdim * chunk
        self.word_taps = np.ascontiguousarray(first.taps[:dim])
        self.shape_taps = model.emb.shape.weight.array @ first.taps[dim:]      # shape id → its products

    def words(self, ids: np.ndarray) -> np.ndarray:
        codes = self.indexes[ids].astype(np.intp) + self.offsets
        return self.codes.take(codes.ravel(), axis=0).reshape(len(ids), -1)

    def __call__(self, word_id: np.ndarray, shape_id: np.ndarray, sep: np.ndarray) -> np.ndarray:
        shapes = len(self.shape_taps)
        distinct, where = np.unique(word_id * shapes + shape_id, return_inverse=True)    # distinct (word, shape)
        y = self.words(distinct // shapes) @ self.word_taps
        y += self.shape_taps[distinct % shapes]
        y = y[where.ravel()]
        y[sep] = 0                                     # separators: what the convolution's zero padding holds
        x = self.layers[0].finish(y, sep)
        for layer in self.layers[1:]:
            x = layer(x, sep)
        return x


class _Pack:
    """Items laid end to end with `gap` separator rows before, between and after them."""

    def __init__(self, items: Sequence[Coded], gap: int, pad_word: int, pad_shape: int):
        lengths = [len(words) for words, _ in items]
        self.starts = np.cumsum([gap] + [n + gap for n in lengths[:-1]]).tolist()
        self.lengths = lengths
        rows = sum(lengths) + gap * (len(items) + 1)
        self.word_id = np.full(rows, pad_word, dtype=np.intp)
        self.shape_id = np.full(rows, pad_shape, dtype=np.intp)
        self.sep = np.ones(rows, dtype=bool)
        for start, n, (words, shapes) in zip(self.starts, lengths, items):
            self.word_id[start:start + n] = words
            self.shape_id[start:start + n] = shapes
            self.sep[start:start + n] = False

    def padded(self) -> tuple[np.ndarray, np.ndarray]:
        """Row index per (item, position), row 0 (a zero separator) past an item's end; and the token mask."""
        width = max(self.lengths)
        pos = np.arange(width)
        mask = pos < np.array(self.lengths)[:, None]
        return np.where(mask, np.array(self.starts)[:, None] + pos, 0), mask

    def split(self, rows: np.ndarray) -> Iterator[np.ndarray]:
        for start, n in zip(self.starts, self.lengths):
            yield rows[start:start + n]


def viterbi(transitions: np.ndarray, emissions: np.ndarray, mask: np.ndarray) -> list[np.ndarray]:
    """slovnet's CRF decode (batch x seq x tags emissions, True mask on tokens) → best tag ids per sequence."""
    batch, length, tags = emissions.shape
    emissions, mask = emissions.swapaxes(1, 0), mask.swapaxes(1, 0)
    history = np.empty((max(length - 1, 0), batch, tags), dtype=np.intp)
    score = emissions[0].copy()
    step = np.empty((batch, tags, tags), dtype=score.dtype)
    for index in range(1, length):
        np.add(score[:, :, None], transitions, out=step)             # batch x from x to, in slovnet's order
        step += emissions[index][:, None, :]
        step.argmax(1, out=history[index - 1])
        np.copyto(score, step.max(1), where=mask[index][:, None])     # the max is the score at the argmax
    sizes = mask.sum(0) - 1
    rows = np.arange(batch)
    path = np.empty((batch, length), dtype=np.intp)
    tag = score.argmax(1)
    for index in range(length - 1, -1, -1):                           # back from each item's own last token
        path[:, index] = tag
        if index:
            tag = np.where(sizes >= index, history[index - 1][rows, tag], tag)
    return [path[b, :sizes[b] + 1] for b in range(batch)]


def _relations(rel, x: np.ndarray, head_id: np.ndarray) -> np.ndarray:
    """slovnet's SyntaxRel scores (batch x seq x relations), its kernel applied as one 2-D product, not per item."""
    from slovnet.exec.model import gather_head

    head, tail = rel.head(gather_head(x, rel.root.array, head_id)), rel.tail(x)
    batch, length, _ = x.shape
    hidden, dim = rel.kernel.shape
    y = (head.reshape(-1, hidden) @ rel.kernel.array).reshape(batch, length, dim // hidden, hidden)
    return np.matmul(y, tail.reshape(batch, length, hidden, 1)).reshape(batch, length, dim // hidden)


class Tagger:
    """One of natasha's slovnet models (`kind`: morph, ner, syntax) run on coded items, `rows` tokens per chunk.
    Morph and NER give a tag string per token; syntax gives (head ids as strings, '0' the root; relations)."""

    def __init__(self, kind: str, infer, rows: int = 4096):
        self.kind, self.model, self.rows, self.encoder = kind, infer.model, rows, Encoder(infer.model)
        self.gap = self.encoder.layers[0].padding
        self.pad_word, self.pad_shape = infer.encoder.words_vocab.pad_id, infer.encoder.shapes_vocab.pad_id
        vocab = infer.decoder.rels_vocab if kind == "syntax" else infer.decoder.tags_vocab
        self.labels = vocab.items

    def __call__(self, items: Sequence[Coded]) -> Iterator:
        """Predictions for `items` in their order; chunks are cut from them in that order (sort them by length)."""
        chunk, size = [], 0
        for item in items:
            if chunk and size + len(item[0]) > self.rows:
                yield from self._chunk(chunk)
                chunk, size = [], 0
            chunk.append(item)
            size += len(item[0]) + self.gap
        if chunk:
            yield from self._chunk(chunk)

    def _chunk(self, items: Sequence[Coded]) -> Iterator:
        pack = _Pack(items, self.gap, self.pad_word, self.pad_shape)
        x = self.encoder(pack.word_id, pack.shape_id, pack.sep)
        head, labels = self.model.head, self.labels
        if self.kind == "morph":
            for ids in pack.split(head.decode(head(x))):
                yield [labels[i] for i in ids.tolist()]
            return
        index, mask = pack.padded()
        if self.kind == "ner":
            for ids in viterbi(head.crf.transitions.array, head(x)[index], mask):
                yield [labels[i] for i in ids.tolist()]
            return
        x = x[index]
        head_id = head.decode(head(x), mask)
        rel_id = self.model.rel.decode(_relations(self.model.rel, x, head_id), mask)
        for n, heads, rels in zip(pack.lengths, head_id.tolist(), rel_id.tolist()):
            yield [str(h) for h in heads[:n]], [labels[r] for r in rels[:n]]


_SET_THREADS = ("openblas_set_num_threads", "scipy_openblas_set_num_threads64_", "scipy_openblas_set_num_threads",
                "openblas_set_num_threads64_")


def limit_blas_threads(threads: int = 1) -> bool:
    """Run numpy's OpenBLAS on `threads` threads, unless OPENBLAS_NUM_THREADS or OMP_NUM_THREADS says otherwise.

    The taggers' matrices are small (a few thousand rows): a second BLAS thread gains ~20% on an idle machine, but
    on a busy one (other processes, or a pool of letopis workers, one per core) threads that wait for a core made
    the taggers 3× slower (bench/throughput.py). Linux only (the library is found in /proc/self/maps); elsewhere,
    or when numpy uses another BLAS, nothing changes. Returns whether the thread count was set."""
    if os.environ.get("OPENBLAS_NUM_THREADS") or os.environ.get("OMP_NUM_THREADS"):
        return False
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "openblas" in line.lower() and "/" in line}
    except OSError:
        return False
    for path in paths:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for name in _SET_THREADS:
            setter = getattr(lib, name, None)
            if setter is not None:
                setter(ctypes.c_int(threads))
                return True
    return False
